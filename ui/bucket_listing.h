// The bucket browser's answers from the engine, as Qt values that cross threads in queued
// signals: one level of a bucket ("folders" and objects) and the first bytes of an object.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace fogbank::ui {

struct BucketObjectRow {
    QString key;  // the whole key
    qint64 size = 0;
    QDateTime modified;
    QString etag;  // without quotes
    QString contentType;
};

struct BucketListing {
    QString bucket;
    QString prefix;
    QStringList prefixes;  // "folders": whole prefixes ending in '/'
    QList<BucketObjectRow> objects;
    bool truncated = false;
    QString error;
};

struct ObjectPreviewData {
    QString bucket;
    QString key;
    QByteArray bytes;  // the first ones only
    qint64 size = 0;
    QString contentType;
    QString error;
};

}  // namespace fogbank::ui

Q_DECLARE_METATYPE(fogbank::ui::BucketListing)
Q_DECLARE_METATYPE(fogbank::ui::ObjectPreviewData)
