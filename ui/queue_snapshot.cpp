#include "ui/queue_snapshot.h"

namespace fogbank::ui {

QString QueueMessage::attributesText() const {
    QStringList parts;
    for (const auto& [name, value] : attributes) {
        // The type is noise in a cell unless it is not plain text.
        const auto colon = value.indexOf(QStringLiteral(": "));
        const QString type = value.left(colon);
        const QString text = value.mid(colon + 2);
        parts << (type == QLatin1String("String")
                      ? name + QLatin1Char('=') + text
                      : name + QLatin1Char('=') + text + QStringLiteral(" (") + type +
                            QLatin1Char(')'));
    }
    return parts.join(QStringLiteral(", "));
}

QString QueueMessage::stateLabel() const {
    switch (state) {
        case State::Visible:
            return QStringLiteral("visible");
        case State::InFlight:
            return QStringLiteral("in flight");
        case State::Delayed:
            return QStringLiteral("delayed");
    }
    return {};
}

}  // namespace fogbank::ui
