// A handler's source, read-only, with the debugger's gutter: line numbers, a dot for each
// breakpoint (filled when the debugger placed it, hollow until then or when it could not, orange
// when it has a condition) and an arrow on the line a stopped session is at. Clicking the gutter
// asks for a breakpoint to be toggled, right-clicking for a condition; the view owns no
// breakpoints itself, it draws what it is given.
#pragma once

#include <QMap>
#include <QPlainTextEdit>
#include <QString>

namespace fogbank::ui {

class SourceView : public QPlainTextEdit {
    Q_OBJECT
  public:
    struct Mark {
        bool verified = false;
        bool conditional = false;
        QString tip;  // the condition, or why the debugger could not place it
    };

    explicit SourceView(QWidget* parent = nullptr);

    // False, with the reason shown in place of the text, when the file cannot be read.
    bool loadFile(const QString& path);
    QString file() const { return file_; }

    void setMarks(const QMap<int, Mark>& marks);
    const QMap<int, Mark>& marks() const { return marks_; }
    // The line a session is stopped at (1-based), 0 for none; scrolls it into view.
    void setCurrentLine(int line);
    int currentLine() const { return current_; }

    // The gutter and its geometry, for the tests that click it.
    QWidget* gutter() const { return gutter_; }
    QRect gutterRectFor(int line) const;
    int lineAt(int y) const;  // in gutter coordinates; 0 below the last line

  signals:
    void breakpointToggled(int line);
    void conditionRequested(int line);

  protected:
    void resizeEvent(QResizeEvent* event) override;

  private:
    friend class SourceGutter;
    int gutterWidth() const;
    void paintGutter(QPaintEvent* event);
    void highlightCurrent();

    QWidget* gutter_;
    QString file_;
    QMap<int, Mark> marks_;
    int current_ = 0;
};

}  // namespace fogbank::ui
