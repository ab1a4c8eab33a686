// The S3 bucket browser: buckets and their folders on the left (listed one level at a time),
// the objects of the selected level in a table, and a preview of the selected object. Its
// toolbar creates and deletes buckets and uploads, downloads and deletes objects; local files
// dropped on the table are uploaded under the selected level.
//
// Everything goes through the bridge and comes back as signals: nothing here waits. Outcomes
// and errors go to a status line under the toolbar, never to a dialog that blocks. The file
// dialogs open only on a click; the methods that take paths are what they then call, and what
// the tests call.
#pragma once

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

class QAction;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTreeView;

namespace fogbank::ui {

class BucketTreeModel;
class EngineBridge;
class ObjectPreviewPane;
class ObjectTableModel;
struct BucketListing;
struct ObjectPreviewData;

class BucketBrowser : public QWidget {
    Q_OBJECT
  public:
    explicit BucketBrowser(QWidget* parent = nullptr);

    // Not owned; follows the bridge's project from now on.
    void setBridge(EngineBridge* bridge);

    // Lists the buckets again, and the level shown.
    void refresh();
    // Shows one level of a bucket ("" for its top) in the table.
    void showFolder(const QString& bucket, const QString& prefix);
    QString currentBucket() const { return bucket_; }
    QString currentPrefix() const { return prefix_; }

    void createBucket(const QString& name);
    // The selected bucket when `name` is empty.
    void deleteBucket(const QString& name = {});
    // Each file goes to the shown level under its own file name.
    void uploadFiles(const QStringList& localPaths);
    void downloadObject(const QString& key, const QString& localPath);
    void deleteObjects(const QStringList& keys);
    // Selects the object in the table, which previews it.
    void selectObject(const QString& key);
    // Whole keys of the selected objects (folders excluded).
    QStringList selectedKeys() const;

    BucketTreeModel* treeModel() const { return tree_; }
    ObjectTableModel* objectModel() const { return objects_; }
    QTreeView* treeView() const { return treeView_; }
    QTableView* objectView() const { return table_; }
    ObjectPreviewPane* previewPane() const { return preview_; }
    QString statusText() const;
    bool statusIsError() const { return statusError_; }

  signals:
    void bucketsShown();
    void folderShown();
    void previewShown();
    // After an operation (create, delete, upload, download) answered; `error` empty on success.
    void operationFinished(const QString& error);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void buildUi();
    void onBucketsListed(const QStringList& names, const QString& error);
    void onFolderListed(const BucketListing& listing);
    void onPreviewed(const ObjectPreviewData& preview);
    void onOperationFinished(const QString& what, const QString& error);
    void onTreeSelection();
    void onTableActivated(const QModelIndex& index);
    void onTableSelection();
    // Selects the shown level in the tree; false when the tree does not know it yet.
    bool revealInTree();
    // Reveals the shown level, listing the levels above it first when the tree lacks them;
    // `justListed` is the level whose listing prompted this, if any.
    void revealOrDescend(const QString* justListed);
    void updateActions();
    void setStatus(const QString& text, bool error);
    void askNewBucket();
    void askUpload();
    void askDownload();

    QPointer<EngineBridge> bridge_;
    QString bucket_;
    QString prefix_;
    QString previewKey_;
    QString pendingSelection_;  // a key to select once the next listing arrives
    bool statusError_ = false;

    BucketTreeModel* tree_ = nullptr;
    ObjectTableModel* objects_ = nullptr;
    QSortFilterProxyModel* sorted_ = nullptr;
    QTreeView* treeView_ = nullptr;
    QTableView* table_ = nullptr;
    ObjectPreviewPane* preview_ = nullptr;
    QLabel* location_ = nullptr;
    QLabel* status_ = nullptr;
    QAction* newBucket_ = nullptr;
    QAction* deleteBucket_ = nullptr;
    QAction* upload_ = nullptr;
    QAction* download_ = nullptr;
    QAction* delete_ = nullptr;
    QAction* refresh_ = nullptr;
};

}  // namespace fogbank::ui
