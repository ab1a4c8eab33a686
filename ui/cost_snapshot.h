// What the Cost and Cold starts tabs show: the bill of what ran, a monthly projection per
// provider, and per-function cold-start statistics. Qt copies of the engine's
// reports (emulator/cost/), made once off the window's thread and never changed afterwards.
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace fogbank::ui {

struct CostLineInfo {
    QString provider;  // aws, gcp, azure
    QString service;   // lambda, apigateway, s3, sqs, scheduler, ...
    QString item;      // "requests", "GB-seconds (x86_64)", "PUT/COPY/POST/LIST", ...
    QString function;  // the function a Lambda line belongs to; empty for the others
    double quantity = 0;
    QString unit;
    double amount = 0;  // USD
    QString pricesAsOf;
};

struct ProviderTotalInfo {
    QString provider;
    double withoutFreeTier = 0;  // USD per month
    double withFreeTier = 0;
    QString pricesAsOf;
};

struct CostReport {
    QString error;                 // empty when the figures below are valid
    QList<CostLineInfo> ranLines;  // what Fogbank served, priced
    double ranTotal = 0;
    qint64 invocations = 0;
    QList<ProviderTotalInfo> projection;  // empty without traffic
    QList<CostLineInfo> projectionLines;  // the AWS projection's lines (monthly)
    QString traffic;                      // as the user gave it
    QString freeTier;                     // none, legacy, credit
    QString pricesAsOf;                   // the newest table's date, for the footer
};

struct InitSampleInfo {
    QDateTime time;
    double initMs = 0;
    double processMs = -1;  // negative: the runtime could not tell
    double runtimeMs = -1;
    double moduleMs = -1;
};

struct ColdStartStatsInfo {
    QString function;
    qint64 cold = 0;
    qint64 warm = 0;
    double coldRatio = 0;
    double coldP50 = 0, coldP90 = 0, coldP99 = 0;  // init + duration of cold invocations
    double warmP50 = 0, warmP90 = 0, warmP99 = 0;  // on-demand sandboxes
    qint64 provisioned = 0;                        // warm invocations in pre-warmed sandboxes
    double provisionedP50 = 0, provisionedP90 = 0, provisionedP99 = 0;
    double initP50 = 0;
    // p50 of each part of the init over the cold starts that reported them; negative: none did.
    double processMs = -1, runtimeMs = -1, moduleMs = -1;
    QString cpuModes;             // "12 cgroup-v1, 3 estimate"; empty when CPU-share mode never ran
    QList<InitSampleInfo> inits;  // oldest first
};

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::CostReport)
Q_DECLARE_METATYPE(fogbank::ui::ColdStartStatsInfo)
