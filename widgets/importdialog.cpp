// SPDX-License-Identifier: GPL-3.0-or-later
#include "importdialog.h"

#include "displaytext.h"
#include "importworker.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QThread>
#include <QVBoxLayout>

namespace portcullis {

namespace {

constexpr int ShownUnparsedSamples = 20;
const char LastFolderKey[] = "import/lastFolder";

} // namespace

ImportDialog::ImportDialog(const QString &databasePath, const Identity &identity, QWidget *parent)
    : QDialog(parent)
    , m_databasePath(databasePath)
    , m_identity(identity)
{
    setWindowTitle(tr("Import logs"));
    auto *layout = new QVBoxLayout(this);

    layout->addWidget(
        new QLabel(tr("Log files (auth.log, web access logs, ECS JSON lines):"), this));
    auto *filesRow = new QHBoxLayout;
    m_fileList = new QListWidget(this);
    m_fileList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    filesRow->addWidget(m_fileList, 1);
    auto *fileButtons = new QVBoxLayout;
    m_addButton = new QPushButton(tr("&Add files..."), this);
    m_removeButton = new QPushButton(tr("&Remove"), this);
    fileButtons->addWidget(m_addButton);
    fileButtons->addWidget(m_removeButton);
    fileButtons->addStretch(1);
    filesRow->addLayout(fileButtons);
    layout->addLayout(filesRow);

    auto *form = new QFormLayout;
    m_format = new QComboBox(this);
    m_format->addItem(tr("Detect from the first lines"), int(LogFormat::Auto));
    m_format->addItem(tr("Syslog (auth.log, secure, journald)"), int(LogFormat::Syslog));
    m_format->addItem(tr("Web access log (Apache, nginx)"), int(LogFormat::WebAccess));
    m_format->addItem(tr("JSON lines with ECS fields"), int(LogFormat::JsonLines));
    form->addRow(tr("&Format:"), m_format);
    layout->addLayout(form);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    layout->addWidget(m_status);

    m_summary = new QPlainTextEdit(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_summary->setReadOnly(true);
    m_summary->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_summary->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_summary->setPlaceholderText(tr("The summary appears here when the import ends."));
    layout->addWidget(m_summary, 1);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_importButton = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_cancelButton = m_buttons->addButton(tr("&Cancel import"), QDialogButtonBox::ActionRole);
    layout->addWidget(m_buttons);

    connect(m_addButton, &QPushButton::clicked, this, &ImportDialog::chooseFiles);
    connect(m_removeButton, &QPushButton::clicked, this,
        [this] { qDeleteAll(m_fileList->selectedItems()); });
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_cancelButton, &QPushButton::clicked, this, &ImportDialog::cancelImport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);

    resize(720, 520);
    setRunning(false);
}

ImportDialog::~ImportDialog()
{
    cancelImport();
    stopThread();
}

void ImportDialog::chooseFiles()
{
    QSettings settings;
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Choose log files"),
        settings.value(QLatin1String(LastFolderKey)).toString(),
        tr("Log files (*.log *.txt *.json *.jsonl *log*);;All files (*)"));
    if (paths.isEmpty())
        return;
    settings.setValue(QLatin1String(LastFolderKey), QFileInfo(paths.first()).absolutePath());
    addFiles(paths);
}

void ImportDialog::addFiles(const QStringList &paths)
{
    const QStringList existing = files();
    for (const QString &path : paths) {
        const QString absolute = QFileInfo(path).absoluteFilePath();
        if (!existing.contains(absolute))
            m_fileList->addItem(absolute);
    }
    setRunning(false);
}

QStringList ImportDialog::files() const
{
    QStringList paths;
    for (int i = 0; i < m_fileList->count(); ++i)
        paths << m_fileList->item(i)->text();
    return paths;
}

void ImportDialog::setFormat(LogFormat format)
{
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

QString ImportDialog::summaryText() const
{
    return m_summary->toPlainText();
}

void ImportDialog::startImport()
{
    if (isRunning() || files().isEmpty())
        return;

    m_summary->clear();
    m_progress->setValue(0);
    m_status->setText(tr("Starting..."));

    const auto format = static_cast<LogFormat>(m_format->currentData().toInt());
    m_thread = new QThread(this);
    m_worker = new ImportWorker(m_databasePath, m_identity, files(), format);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::started, m_worker, &ImportWorker::run);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ImportWorker::progressed, this, &ImportDialog::onProgress);
    connect(m_worker, &ImportWorker::finished, this, &ImportDialog::onFinished);
    setRunning(true);
    m_thread->start();
}

void ImportDialog::cancelImport()
{
    if (!m_worker)
        return;
    m_worker->cancel();
    m_status->setText(tr("Cancelling after the current batch..."));
    m_cancelButton->setEnabled(false);
}

void ImportDialog::onProgress(const ImportProgress &progress)
{
    if (progress.fileCount > 0 && progress.bytesTotal > 0) {
        const double fileShare = double(progress.bytesDone) / double(progress.bytesTotal);
        const double overall = (progress.fileIndex + fileShare) / progress.fileCount;
        m_progress->setValue(int(qBound(0.0, overall, 1.0) * m_progress->maximum()));
    }
    if (!m_worker || !m_worker->isCancelled()) {
        m_status->setText(tr("File %1 of %2: %3 (%4 lines, %5 events, %6 unparsed)")
                              .arg(progress.fileIndex + 1)
                              .arg(progress.fileCount)
                              .arg(displayText(QFileInfo(progress.filePath).fileName()))
                              .arg(progress.lines)
                              .arg(progress.events)
                              .arg(progress.unparsed));
    }
    Q_EMIT batchCommitted();
}

void ImportDialog::onFinished(bool ok, const ImportSummary &summary, const QString &errorMessage)
{
    const bool cancelled = m_worker && m_worker->isCancelled();
    stopThread();
    setRunning(false);

    if (ok)
        m_progress->setValue(m_progress->maximum());
    m_status->setText(ok ? tr("Import finished.")
            : cancelled  ? tr("Import cancelled; the batches committed so far are kept.")
                         : tr("Import failed."));
    m_summary->setPlainText(formatSummary(ok, cancelled, summary, errorMessage));
    Q_EMIT importFinished(ok, summary);
}

void ImportDialog::setRunning(bool running)
{
    m_fileList->setEnabled(!running);
    m_addButton->setEnabled(!running);
    m_removeButton->setEnabled(!running);
    m_format->setEnabled(!running);
    m_importButton->setEnabled(!running && m_fileList->count() > 0);
    m_cancelButton->setEnabled(running);
    m_buttons->button(QDialogButtonBox::Close)->setEnabled(!running);
}

void ImportDialog::stopThread()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void ImportDialog::closeEvent(QCloseEvent *event)
{
    if (isRunning()) {
        cancelImport();
        event->ignore();
        return;
    }
    QDialog::closeEvent(event);
}

// Esc while importing cancels the import instead of hiding a running dialog.
void ImportDialog::reject()
{
    if (isRunning()) {
        cancelImport();
        return;
    }
    QDialog::reject();
}

QString ImportDialog::formatSummary(
    bool ok, bool cancelled, const ImportSummary &summary, const QString &errorMessage)
{
    QStringList lines;
    if (!ok && !errorMessage.isEmpty())
        lines << (cancelled ? tr("Cancelled: %1") : tr("Error: %1")).arg(displayText(errorMessage));

    lines << tr("Files:            %1 (%2 already imported, %3 resumed)")
                 .arg(summary.files)
                 .arg(summary.filesUpToDate)
                 .arg(summary.filesResumed);
    lines << tr("Lines read:       %1").arg(summary.lines);
    lines << tr("Events parsed:    %1 (%2 stored, %3 already stored)")
                 .arg(summary.events)
                 .arg(summary.eventsStored)
                 .arg(summary.duplicatesSkipped);
    lines << tr("Unparsed lines:   %1").arg(summary.unparsedLines);
    lines << tr("Truncated lines:  %1").arg(summary.truncatedLines);
    lines << tr("Alerts:           %1 new, %2 updated")
                 .arg(summary.alertsRaised)
                 .arg(summary.alertsUpdated);

    for (const QString &error : summary.errors)
        lines << tr("Error: %1").arg(displayText(error));

    if (!summary.unparsedSamples.isEmpty()) {
        const int shown = qMin(ShownUnparsedSamples, int(summary.unparsedSamples.size()));
        lines << QString() << tr("Unparsed lines (first %n):", nullptr, shown);
        for (const UnparsedLine &line : summary.unparsedSamples.mid(0, ShownUnparsedSamples)) {
            lines << QStringLiteral("%1:%2: %3")
                         .arg(displayText(QFileInfo(line.filePath).fileName()))
                         .arg(line.lineNumber)
                         .arg(displayText(line.text.left(300)));
        }
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace portcullis
