// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/auditview.h"

#include "security/auditexport.h"
#include "security/audittablemodel.h"
#include "security/stepupdialog.h"
#include "store/database.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace portcullis {

AuditView::AuditView(Database &db, const Identity &who, QWidget *parent)
    : QWidget(parent), m_db(db), m_who(who)
{
    m_model = new AuditTableModel(m_db, m_who, this);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter: text in actor, action, target or details"));
    m_filter->setClearButtonEnabled(true);
    m_action = new QLineEdit(this);
    m_action->setPlaceholderText(tr("Action prefix, e.g. login"));
    m_action->setMaximumWidth(200);
    auto *verify = new QPushButton(tr("Verify chain"), this);
    auto *exportButton = new QPushButton(tr("Export CSV..."), this);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_action);
    bar->addWidget(verify);
    bar->addWidget(exportButton);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);

    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    // Filter 250 ms after the last keystroke.
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(250);
    connect(m_filterDelay, &QTimer::timeout, this, &AuditView::reload);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_action, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(verify, &QPushButton::clicked, this, &AuditView::verifyChain);
    connect(exportButton, &QPushButton::clicked, this, &AuditView::chooseExportFile);
    reload();
}

void AuditView::reload()
{
    AuditFilter filter;
    filter.text = m_filter->text().trimmed();
    filter.action = m_action->text().trimmed();
    QString error;
    if (!m_model->reload(filter, &error)) {
        m_status->setText(error);
        return;
    }
    m_status->setStyleSheet(QString());
    m_table->resizeColumnsToContents();
    m_status->setText(tr("%n record(s) shown.", nullptr, int(m_model->records().size())));
}

void AuditView::verifyChain()
{
    QString error;
    const AuditVerifyResult result = AuditLog(m_db).verify(m_who, &error);
    if (!error.isEmpty()) {
        m_status->setText(error);
        return;
    }
    AuditLog(m_db).append(m_who, QStringLiteral("audit.verify"), QStringLiteral("audit_log"),
                          QJsonObject{{QStringLiteral("ok"), result.ok},
                                      {QStringLiteral("first_broken"), result.firstBrokenSeq}},
                          nullptr);
    reload();
    if (result.ok) {
        m_status->setStyleSheet(QStringLiteral("color: #1b5e20"));
        m_status->setText(tr("Chain intact: %1 records, each linked to the previous by SHA-256.")
                              .arg(result.recordCount));
    } else {
        m_status->setStyleSheet(QStringLiteral("color: #b00020"));
        m_status->setText(tr("Chain BROKEN at record %1: %2.")
                              .arg(result.firstBrokenSeq)
                              .arg(result.problem));
    }
}

void AuditView::chooseExportFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export audit records"),
                                                      QStringLiteral("audit.csv"),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        exportCsv(path);
}

bool AuditView::exportCsv(const QString &path)
{
    if (!confirmStepUp(m_db, m_who, SensitiveAction::ExportEvidence, this))
        return false;
    AuditFilter filter;
    filter.text = m_filter->text().trimmed();
    filter.action = m_action->text().trimmed();
    QString error;
    const qint64 written =
        exportAuditTrail(m_db, m_who, filter, AuditExportFormat::Csv, path, &error);
    if (written < 0) {
        m_status->setText(error);
        return false;
    }
    reload();
    m_status->setText(tr("Exported %1 records to %2.").arg(written).arg(path));
    return true;
}

} // namespace portcullis
