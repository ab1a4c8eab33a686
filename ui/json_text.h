// JSON as the window shows and checks it: a verdict with a human position, and pretty printing
// that keeps the author's key order.
#pragma once

#include <QString>

namespace fogbank::ui {

struct JsonCheck {
    bool ok = false;
    int line = 0;  // 1-based, where the parser gave up
    int column = 0;
    QString message;

    // "valid" or "line L, column C: message".
    QString describe() const;
};

// Any JSON value is accepted (Lambda events and responses may be strings or numbers, not only
// objects). Blank text is valid: the engine sends {} for it.
JsonCheck checkJson(const QString& text);

// Indented JSON, or `text` unchanged when it does not parse.
QString prettyJson(const QString& text, bool* ok = nullptr);

}  // namespace fogbank::ui
