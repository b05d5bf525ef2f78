// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ingest/fileimporter.h"
#include "security/identity.h"

#include <QDialog>
#include <QPointer>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QThread;

namespace portcullis {

class ImportWorker;

// File > Import logs: pick files and a format, import them on a worker
// thread with a progress bar and a Cancel button, then show the summary.
class ImportDialog : public QDialog {
    Q_OBJECT

public:
    ImportDialog(const QString &databasePath, const Identity &identity, QWidget *parent = nullptr);
    ~ImportDialog() override;

    void addFiles(const QStringList &paths);
    QStringList files() const;
    void setFormat(LogFormat format);
    bool isRunning() const { return m_thread != nullptr; }
    QString summaryText() const;

    // The plain-text summary shown when an import ends.
    static QString formatSummary(
        bool ok, bool cancelled, const ImportSummary &summary, const QString &errorMessage);

public Q_SLOTS:
    void startImport();
    void cancelImport();

Q_SIGNALS:
    // After each committed batch, so that views can show new alerts.
    void batchCommitted();
    void importFinished(bool ok, const portcullis::ImportSummary &summary);

protected:
    void closeEvent(QCloseEvent *event) override;
    void reject() override;

private:
    void chooseFiles();
    void onProgress(const ImportProgress &progress);
    void onFinished(bool ok, const ImportSummary &summary, const QString &errorMessage);
    void setRunning(bool running);
    void stopThread();

    QString m_databasePath;
    Identity m_identity;

    QListWidget *m_fileList = nullptr;
    QPushButton *m_addButton = nullptr;
    QPushButton *m_removeButton = nullptr;
    QComboBox *m_format = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPlainTextEdit *m_summary = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_importButton = nullptr;
    QPushButton *m_cancelButton = nullptr;

    QThread *m_thread = nullptr;
    QPointer<ImportWorker> m_worker;
};

} // namespace portcullis
