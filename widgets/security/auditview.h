// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/identity.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace portcullis {

class AuditTableModel;
class Database;

// The audit trail for administrators and compliance officers: a filter, the
// table, export to CSV and chain verification.
class AuditView : public QWidget
{
    Q_OBJECT

public:
    AuditView(Database &db, const Identity &who, QWidget *parent = nullptr);

    AuditTableModel *model() const { return m_model; }
    QLineEdit *filterEdit() const { return m_filter; }

public Q_SLOTS:
    void reload();
    void verifyChain();
    // Writes the records shown to a CSV file; returns false on an error.
    bool exportCsv(const QString &path);

private:
    void chooseExportFile();

    Database &m_db;
    Identity m_who;
    AuditTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_filter = nullptr;
    QLineEdit *m_action = nullptr;
    QLabel *m_status = nullptr;
    QTimer *m_filterDelay = nullptr;
};

} // namespace portcullis
