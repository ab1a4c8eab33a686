#include "ui/json_text.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace fogbank::ui {

namespace {

// QJsonParseError gives a byte offset into the UTF-8 text; editors count lines and characters.
JsonCheck positioned(const QByteArray& utf8, qsizetype offset, const QString& message) {
    offset = std::clamp<qsizetype>(offset, 0, utf8.size());
    const QByteArray before = utf8.left(offset);
    JsonCheck check;
    check.line = static_cast<int>(before.count('\n')) + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    check.column = static_cast<int>(QString::fromUtf8(before.mid(lineStart)).size()) + 1;
    check.message = message;
    return check;
}

// Qt reports most errors just past the character that broke the parse; editors should point at
// that character. Qt's own wording is also vague in places ("object is missing after a comma"
// for `{"a": }`), so the common cases get plainer words.
JsonCheck fromQtError(const QByteArray& utf8, const QJsonParseError& error, qsizetype shift) {
    qsizetype offset = std::min<qsizetype>(error.offset - shift, utf8.size());
    // At the very end, the unterminated kinds mean "the text stopped here": nothing was consumed.
    const bool ranOut =
        offset == utf8.size() && (error.error == QJsonParseError::UnterminatedString ||
                                  error.error == QJsonParseError::UnterminatedArray ||
                                  error.error == QJsonParseError::UnterminatedObject ||
                                  error.error == QJsonParseError::TerminationByNumber);
    if (error.error != QJsonParseError::GarbageAtEnd && !ranOut && offset > 0) --offset;
    QString message;
    switch (error.error) {
        case QJsonParseError::MissingObject:
            message = QStringLiteral("a value is missing");
            break;
        case QJsonParseError::UnterminatedObject:
            message = QStringLiteral("expected ',' or '}'");
            break;
        case QJsonParseError::UnterminatedArray:
            message = QStringLiteral("expected ',' or ']'");
            break;
        case QJsonParseError::MissingNameSeparator:
            message = QStringLiteral("expected ':'");
            break;
        case QJsonParseError::MissingValueSeparator:
            message = QStringLiteral("expected ','");
            break;
        case QJsonParseError::GarbageAtEnd:
            message = QStringLiteral("unexpected text after the value");
            break;
        default:
            message = error.errorString();
            break;
    }
    return positioned(utf8, offset, message);
}

qsizetype firstNonSpace(const QByteArray& utf8) {
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return i;
    }
    return -1;
}

}  // namespace

QString JsonCheck::describe() const {
    if (ok) return message.isEmpty() ? QStringLiteral("valid") : message;
    return QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(message);
}

JsonCheck checkJson(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    const qsizetype start = firstNonSpace(utf8);
    if (start < 0) return JsonCheck{true, 0, 0, QStringLiteral("empty: {} will be sent")};

    QJsonParseError error;
    const char first = utf8[start];
    if (first == '{' || first == '[') {
        QJsonDocument::fromJson(utf8, &error);
        if (error.error == QJsonParseError::NoError) return JsonCheck{true, 0, 0, {}};
        return fromQtError(utf8, error, 0);
    }

    // QJsonDocument only takes objects and arrays at the top; a scalar is checked as the only
    // element of an array, and offsets are shifted back by the added bracket.
    const QByteArray wrapped = '[' + utf8 + ']';
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &error);
    if (error.error == QJsonParseError::UnterminatedArray ||
        error.error == QJsonParseError::MissingValueSeparator) {
        // Our own closing bracket was not reached: something follows the value.
        JsonCheck check = fromQtError(utf8, error, 1);
        check.message = QStringLiteral("unexpected text after the value");
        return check;
    }
    if (error.error != QJsonParseError::NoError) return fromQtError(utf8, error, 1);
    if (doc.array().size() != 1) {
        const qsizetype comma = utf8.indexOf(',', start);
        return positioned(utf8, comma < 0 ? utf8.size() : comma,
                          QStringLiteral("unexpected text after the value"));
    }
    return JsonCheck{true, 0, 0, {}};
}

QString prettyJson(const QString& text, bool* ok) {
    // nlohmann's ordered_json rather than QJsonDocument: QJsonObject sorts keys, and a response
    // whose "statusCode" has moved below "headers" no longer looks like what the handler wrote.
    const auto parsed = nlohmann::ordered_json::parse(text.toStdString(), nullptr, false);
    if (parsed.is_discarded()) {
        if (ok) *ok = false;
        return text;
    }
    if (ok) *ok = true;
    return QString::fromStdString(
        parsed.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace fogbank::ui
