// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "detect/alert.h"

#include <QDialog>

class QButtonGroup;
class QComboBox;
class QDialogButtonBox;
class QPlainTextEdit;

namespace portcullis {

// Asks for the disposition (required) and an optional note before closing
// one or more alerts.
class CloseAlertDialog : public QDialog {
    Q_OBJECT

public:
    CloseAlertDialog(int alertCount, QWidget *parent = nullptr);

    Disposition disposition() const;
    void setDisposition(Disposition disposition);
    QString note() const;
    void setNote(const QString &note);

private:
    void updateOkButton();

    QButtonGroup *m_dispositions = nullptr;
    QPlainTextEdit *m_note = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

// Asks for the assignee (required) and an optional note.
class AssignAlertDialog : public QDialog {
    Q_OBJECT

public:
    AssignAlertDialog(int alertCount, const QStringList &suggestions, QWidget *parent = nullptr);

    QString assignee() const;
    void setAssignee(const QString &assignee);
    QString note() const;

private:
    QComboBox *m_assignee = nullptr;
    QPlainTextEdit *m_note = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace portcullis
