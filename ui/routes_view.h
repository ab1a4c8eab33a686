// The APIs tab: the project's HTTP API routes in the order API Gateway matches them, and a small
// request composer (method, path, headers, body) that sends a real request to the routes' port
// and shows the status, headers, body and time of the answer — curl inside the window. Choosing
// a route fills the composer with its method and path.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace fogbank::ui {

class EngineBridge;
class RouteTableModel;
struct HttpExchange;

class RoutesView : public QWidget {
    Q_OBJECT
  public:
    explicit RoutesView(QWidget* parent = nullptr);

    void setBridge(EngineBridge* bridge);
    // "Name: value" lines as headers; `error` names the first line that is not one.
    static QList<QPair<QString, QString>> parseHeaders(const QString& text, QString* error);

    RouteTableModel* routeModel() const { return routes_; }
    QTableView* routeTable() const { return table_; }
    QComboBox* methodBox() const { return method_; }
    QLineEdit* pathEdit() const { return path_; }
    QPlainTextEdit* headersEdit() const { return headers_; }
    QPlainTextEdit* bodyEdit() const { return body_; }
    QPushButton* sendButton() const { return send_; }
    QLabel* statusLabel() const { return status_; }
    QPlainTextEdit* responseView() const { return response_; }

  public slots:
    // Sends what the composer holds.
    void send();

  private:
    void onProjectChanged();
    void onRouteChosen(int row);
    void onExchanged(const HttpExchange& exchange);

    EngineBridge* bridge_ = nullptr;
    RouteTableModel* routes_;
    QTableView* table_;
    QLabel* where_;
    QComboBox* method_;
    QLineEdit* path_;
    QPlainTextEdit* headers_;
    QPlainTextEdit* body_;
    QPushButton* send_;
    QLabel* status_;
    QPlainTextEdit* response_;
    quint64 pending_ = 0;  // the ticket whose answer is awaited; older answers are dropped
};

}  // namespace fogbank::ui
