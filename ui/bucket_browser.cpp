#include "ui/bucket_browser.h"

#include "ui/bucket_tree_model.h"
#include "ui/engine_bridge.h"
#include "ui/object_preview_pane.h"
#include "ui/object_table_model.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QUrl>
#include <QVBoxLayout>

namespace fogbank::ui {

namespace {

// Local files among dropped URLs; folders are not uploaded (S3 has none to create).
QStringList localFiles(const QMimeData* mime) {
    QStringList out;
    if (!mime || !mime->hasUrls()) return out;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile()) continue;
        const QString path = url.toLocalFile();
        if (QFileInfo(path).isFile()) out << path;
    }
    return out;
}

}  // namespace

BucketBrowser::BucketBrowser(QWidget* parent) : QWidget(parent) {
    buildUi();
    updateActions();
}

void BucketBrowser::buildUi() {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("bucketToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    newBucket_ = toolbar->addAction(style()->standardIcon(QStyle::SP_FileDialogNewFolder),
                                    tr("New bucket…"), this, &BucketBrowser::askNewBucket);
    deleteBucket_ = toolbar->addAction(style()->standardIcon(QStyle::SP_DialogDiscardButton),
                                       tr("Delete bucket"), this, [this] { deleteBucket(); });
    toolbar->addSeparator();
    upload_ = toolbar->addAction(style()->standardIcon(QStyle::SP_ArrowUp), tr("Upload…"), this,
                                 &BucketBrowser::askUpload);
    download_ = toolbar->addAction(style()->standardIcon(QStyle::SP_ArrowDown), tr("Download…"),
                                   this, &BucketBrowser::askDownload);
    delete_ =
        toolbar->addAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("Delete"), this, [this] {
            const QStringList keys = selectedKeys();
            if (keys.isEmpty()) return;
            const auto answer = QMessageBox::question(
                this, tr("Delete objects"),
                tr("Delete %n object(s) from %1?", nullptr, static_cast<int>(keys.size()))
                    .arg(bucket_));
            if (answer == QMessageBox::Yes) deleteObjects(keys);
        });
    toolbar->addSeparator();
    refresh_ = toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("Refresh"),
                                  this, &BucketBrowser::refresh);
    layout->addWidget(toolbar);

    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("bucketStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    status_->setVisible(false);
    layout->addWidget(status_);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    tree_ = new BucketTreeModel(this);
    treeView_ = new QTreeView(splitter);
    treeView_->setObjectName(QStringLiteral("bucketTree"));
    treeView_->setModel(tree_);
    treeView_->setHeaderHidden(true);
    treeView_->setUniformRowHeights(true);
    connect(treeView_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &BucketBrowser::onTreeSelection);
    connect(tree_, &BucketTreeModel::folderWanted, this,
            [this](const QString& bucket, const QString& prefix) {
                if (bridge_) bridge_->expandFolder(bucket, prefix);
            });

    auto* middle = new QWidget(splitter);
    auto* middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    location_ = new QLabel(middle);
    location_->setObjectName(QStringLiteral("bucketLocation"));
    location_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    middleLayout->addWidget(location_);
    objects_ = new ObjectTableModel(this);
    sorted_ = new QSortFilterProxyModel(this);
    sorted_->setSourceModel(objects_);
    sorted_->setSortRole(ObjectTableModel::SortRole);
    table_ = new QTableView(middle);
    table_->setObjectName(QStringLiteral("objectTable"));
    table_->setModel(sorted_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(ObjectTableModel::Key, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setShowGrid(false);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->resizeSection(ObjectTableModel::Key, 220);
    table_->horizontalHeader()->resizeSection(ObjectTableModel::Size, 80);
    table_->horizontalHeader()->resizeSection(ObjectTableModel::Modified, 150);
    table_->horizontalHeader()->resizeSection(ObjectTableModel::ETag, 120);
    table_->viewport()->setAcceptDrops(true);
    table_->viewport()->installEventFilter(this);
    table_->setToolTip(tr("Drop files here to upload them to the folder shown"));
    connect(table_, &QTableView::activated, this, &BucketBrowser::onTableActivated);
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &BucketBrowser::onTableSelection);
    middleLayout->addWidget(table_, 1);

    preview_ = new ObjectPreviewPane(splitter);
    preview_->setObjectName(QStringLiteral("objectPreview"));

    splitter->addWidget(treeView_);
    splitter->addWidget(middle);
    splitter->addWidget(preview_);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    splitter->setSizes({220, 700, 460});
    layout->addWidget(splitter, 1);
}

void BucketBrowser::setBridge(EngineBridge* bridge) {
    if (bridge_) disconnect(bridge_, nullptr, this, nullptr);
    bridge_ = bridge;
    if (!bridge_) return;
    connect(bridge_, &EngineBridge::bucketsListed, this, &BucketBrowser::onBucketsListed);
    connect(bridge_, &EngineBridge::folderListed, this, &BucketBrowser::onFolderListed);
    connect(bridge_, &EngineBridge::folderExpanded, this, [this](const BucketListing& listing) {
        if (!listing.error.isEmpty()) return;
        tree_->setFolders(listing.bucket, listing.prefix, listing.prefixes);
        if (listing.bucket == bucket_ && prefix_.startsWith(listing.prefix))
            revealOrDescend(&listing.prefix);
    });
    connect(bridge_, &EngineBridge::objectPreviewed, this, &BucketBrowser::onPreviewed);
    connect(bridge_, &EngineBridge::bucketOperationFinished, this,
            &BucketBrowser::onOperationFinished);
    connect(bridge_, &EngineBridge::projectOpened, this, &BucketBrowser::refresh);
    connect(bridge_, &EngineBridge::projectClosed, this, [this] {
        bucket_.clear();
        prefix_.clear();
        tree_->setBuckets({});
        objects_->clear();
        preview_->clear();
        location_->clear();
        setStatus({}, false);
        updateActions();
    });
    if (bridge_->isOpen()) refresh();
}

void BucketBrowser::refresh() {
    if (!bridge_) return;
    bridge_->listBuckets();
    if (!bucket_.isEmpty()) bridge_->listFolder(bucket_, prefix_);
}

void BucketBrowser::showFolder(const QString& bucket, const QString& prefix) {
    const bool moved = bucket != bucket_ || prefix != prefix_;
    bucket_ = bucket;
    prefix_ = prefix;
    if (moved) {
        objects_->clear();
        preview_->clear();
        previewKey_.clear();
    }
    revealOrDescend(nullptr);
    location_->setText(QStringLiteral("s3://%1/%2").arg(bucket, prefix));
    updateActions();
    if (bridge_ && !bucket.isEmpty()) bridge_->listFolder(bucket, prefix);
}

bool BucketBrowser::revealInTree() {
    const QModelIndex node = tree_->find(bucket_, prefix_);
    if (!node.isValid()) return false;
    if (treeView_->currentIndex() != node) {
        for (QModelIndex up = node.parent(); up.isValid(); up = up.parent()) treeView_->expand(up);
        const QSignalBlocker blocker(treeView_->selectionModel());
        treeView_->setCurrentIndex(node);
        treeView_->viewport()->update();
    }
    return true;
}

void BucketBrowser::revealOrDescend(const QString* justListed) {
    if (revealInTree() || !bridge_ || bucket_.isEmpty()) return;
    // Opened deep (by a script, or a level the tree has not listed): list the levels above it
    // one after another, each once its parent is in the tree.
    QString deepest;
    if (!tree_->find(bucket_, deepest).isValid()) return;  // the bucket list will reveal it
    for (qsizetype slash = prefix_.indexOf(QLatin1Char('/')); slash >= 0;
         slash = prefix_.indexOf(QLatin1Char('/'), slash + 1)) {
        if (!tree_->find(bucket_, prefix_.left(slash + 1)).isValid()) break;
        deepest = prefix_.left(slash + 1);
    }
    // Listed and still no deeper: the level shown has no folder of its own (nothing under it).
    if (justListed && *justListed == deepest) return;
    bridge_->expandFolder(bucket_, deepest);
}

void BucketBrowser::onBucketsListed(const QStringList& names, const QString& error) {
    if (!error.isEmpty()) setStatus(error, true);
    tree_->setBuckets(names);
    if (!bucket_.isEmpty() && names.contains(bucket_)) {
        revealOrDescend(nullptr);
    } else if (!names.isEmpty()) {
        showFolder(names.first(), {});
    } else {
        bucket_.clear();
        prefix_.clear();
        objects_->clear();
        preview_->clear();
        location_->setText(tr("No buckets. Create one with New bucket…"));
    }
    updateActions();
    emit bucketsShown();
}

void BucketBrowser::onFolderListed(const BucketListing& listing) {
    if (listing.bucket != bucket_ || listing.prefix != prefix_) return;
    if (!listing.error.isEmpty()) {
        objects_->clear();
        setStatus(listing.error, true);
        emit folderShown();
        return;
    }
    const QStringList selected = selectedKeys();
    objects_->setSnapshot(std::make_shared<const BucketListing>(listing));
    tree_->setFolders(listing.bucket, listing.prefix, listing.prefixes);
    // The folders of the level shown are in sight in the tree too.
    if (const QModelIndex node = tree_->find(listing.bucket, listing.prefix); node.isValid())
        treeView_->expand(node);
    QString where = QStringLiteral("s3://%1/%2 — ").arg(listing.bucket, listing.prefix);
    where += tr("%n object(s)", nullptr, static_cast<int>(listing.objects.size()));
    if (!listing.prefixes.isEmpty())
        where += tr(", %n folder(s)", nullptr, static_cast<int>(listing.prefixes.size()));
    if (listing.truncated)
        where += tr(" — only the first %1 entries are shown").arg(EngineBridge::kFolderLimit);
    location_->setText(where);
    // A refresh keeps what was selected (and previewed) when it is still there.
    const QString want = !pendingSelection_.isEmpty() ? pendingSelection_
                         : selected.size() == 1       ? selected.first()
                                                      : QString();
    pendingSelection_.clear();
    if (!want.isEmpty() && objects_->rowOfKey(want) >= 0) {
        {
            const QSignalBlocker blocker(table_->selectionModel());
            const QModelIndex source = objects_->index(objects_->rowOfKey(want), 0);
            table_->selectRow(sorted_->mapFromSource(source).row());
        }
        onTableSelection();
    } else if (!previewKey_.isEmpty() && objects_->rowOfKey(previewKey_) < 0) {
        previewKey_.clear();
        preview_->clear();
    }
    updateActions();
    emit folderShown();
}

void BucketBrowser::onTreeSelection() {
    const QModelIndex current = treeView_->currentIndex();
    if (!current.isValid()) return;
    showFolder(current.data(BucketTreeModel::BucketRole).toString(),
               current.data(BucketTreeModel::PrefixRole).toString());
}

void BucketBrowser::onTableActivated(const QModelIndex& index) {
    if (!index.data(ObjectTableModel::IsFolderRole).toBool()) return;
    showFolder(bucket_, index.data(ObjectTableModel::KeyRole).toString());
}

QStringList BucketBrowser::selectedKeys() const {
    QStringList keys;
    for (const QModelIndex& index : table_->selectionModel()->selectedRows()) {
        if (index.data(ObjectTableModel::IsFolderRole).toBool()) continue;
        keys << index.data(ObjectTableModel::KeyRole).toString();
    }
    return keys;
}

void BucketBrowser::selectObject(const QString& key) {
    const int row = objects_->rowOfKey(key);
    if (row < 0) {
        // Not listed yet (an upload still on its way): selected when the listing arrives.
        pendingSelection_ = key;
        return;
    }
    // Selected again, it is previewed again (it may have changed since).
    table_->clearSelection();
    table_->selectRow(sorted_->mapFromSource(objects_->index(row, 0)).row());
}

void BucketBrowser::onTableSelection() {
    updateActions();
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (rows.size() != 1 || rows.first().data(ObjectTableModel::IsFolderRole).toBool()) return;
    const QModelIndex source = sorted_->mapToSource(rows.first());
    const auto& object = objects_->listing()->objects.at(
        source.row() - static_cast<int>(objects_->listing()->prefixes.size()));
    previewKey_ = object.key;
    const qint64 wanted =
        ObjectPreviewPane::bytesWanted(object.contentType, object.key, object.size);
    if (bridge_) bridge_->previewObject(bucket_, object.key, wanted);
}

void BucketBrowser::onPreviewed(const ObjectPreviewData& preview) {
    if (preview.bucket != bucket_ || preview.key != previewKey_) return;
    preview_->showPreview(preview);
    emit previewShown();
}

void BucketBrowser::createBucket(const QString& name) {
    if (!bridge_) return;
    bridge_->createBucket(name.trimmed());
}

void BucketBrowser::deleteBucket(const QString& name) {
    const QString bucket = name.isEmpty() ? bucket_ : name;
    if (!bridge_ || bucket.isEmpty()) return;
    bridge_->deleteBucket(bucket);
}

void BucketBrowser::uploadFiles(const QStringList& localPaths) {
    if (!bridge_ || bucket_.isEmpty()) {
        setStatus(tr("Select a bucket to upload to."), true);
        return;
    }
    for (const QString& path : localPaths) {
        const QString key = prefix_ + QFileInfo(path).fileName();
        if (localPaths.size() == 1) pendingSelection_ = key;
        bridge_->uploadFile(bucket_, key, path);
    }
    if (!localPaths.isEmpty())
        setStatus(
            tr("Uploading %n file(s) to s3://%1/%2…", nullptr, static_cast<int>(localPaths.size()))
                .arg(bucket_, prefix_),
            false);
}

void BucketBrowser::downloadObject(const QString& key, const QString& localPath) {
    if (!bridge_ || bucket_.isEmpty()) return;
    bridge_->downloadObject(bucket_, key, localPath);
}

void BucketBrowser::deleteObjects(const QStringList& keys) {
    if (!bridge_ || bucket_.isEmpty()) return;
    for (const QString& key : keys) {
        bridge_->deleteObject(bucket_, key);
    }
}

void BucketBrowser::onOperationFinished(const QString& what, const QString& error) {
    setStatus(error.isEmpty() ? what : error, !error.isEmpty());
    // The bucket shown is gone: the listing would only answer NoSuchBucket.
    if (error.isEmpty() && what == tr("Deleted bucket %1").arg(bucket_)) {
        bucket_.clear();
        prefix_.clear();
    }
    refresh();
    emit operationFinished(error);
}

void BucketBrowser::setStatus(const QString& text, bool error) {
    statusError_ = error;
    status_->setText(text);
    status_->setVisible(!text.isEmpty());
    status_->setStyleSheet(error ? QStringLiteral("color: palette(bright-text); background: "
                                                  "#b3261e; padding: 4px; border-radius: 3px;")
                                 : QStringLiteral("padding: 4px;"));
}

QString BucketBrowser::statusText() const {
    return status_->text();
}

void BucketBrowser::updateActions() {
    const bool open = bridge_ && bridge_->isOpen();
    const bool haveBucket = open && !bucket_.isEmpty();
    const bool haveSelection = haveBucket && !selectedKeys().isEmpty();
    newBucket_->setEnabled(open);
    deleteBucket_->setEnabled(haveBucket);
    upload_->setEnabled(haveBucket);
    download_->setEnabled(haveSelection && selectedKeys().size() == 1);
    delete_->setEnabled(haveSelection);
    refresh_->setEnabled(open);
}

void BucketBrowser::askNewBucket() {
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New bucket"),
                                               tr("Bucket name (3-63 of a-z, 0-9, '.', '-'):"),
                                               QLineEdit::Normal, {}, &ok);
    if (ok && !name.trimmed().isEmpty()) createBucket(name);
}

void BucketBrowser::askUpload() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Upload to s3://%1/%2").arg(bucket_, prefix_));
    if (!files.isEmpty()) uploadFiles(files);
}

void BucketBrowser::askDownload() {
    const QStringList keys = selectedKeys();
    if (keys.size() != 1) return;
    const QString name = keys.first().section(QLatin1Char('/'), -1);
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Download %1").arg(keys.first()), name);
    if (!path.isEmpty()) downloadObject(keys.first(), path);
}

bool BucketBrowser::eventFilter(QObject* watched, QEvent* event) {
    if (watched != table_->viewport()) return QWidget::eventFilter(watched, event);
    switch (event->type()) {
        case QEvent::DragEnter:
        case QEvent::DragMove: {
            auto* drag = static_cast<QDropEvent*>(event);
            if (!bucket_.isEmpty() && !localFiles(drag->mimeData()).isEmpty()) {
                drag->acceptProposedAction();
                return true;
            }
            return false;
        }
        case QEvent::Drop: {
            auto* drop = static_cast<QDropEvent*>(event);
            const QStringList files = localFiles(drop->mimeData());
            if (files.isEmpty()) return false;
            drop->acceptProposedAction();
            uploadFiles(files);
            return true;
        }
        default:
            return QWidget::eventFilter(watched, event);
    }
}

}  // namespace fogbank::ui
