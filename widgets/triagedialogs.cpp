// SPDX-License-Identifier: GPL-3.0-or-later
#include "triagedialogs.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace portcullis {

namespace {

QPlainTextEdit *createNoteField(QWidget *parent)
{
    auto *note = new QPlainTextEdit(parent);
    note->setObjectName(QStringLiteral("note"));
    note->setTabChangesFocus(true);
    note->setPlaceholderText(QCoreApplication::translate(
        "portcullis::TriageDialogs", "Optional: what you checked and why (kept in the history)"));
    note->setMaximumHeight(note->fontMetrics().height() * 5);
    return note;
}

} // namespace

CloseAlertDialog::CloseAlertDialog(int alertCount, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Close %n alert(s)", nullptr, alertCount));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Disposition:"), this));

    m_dispositions = new QButtonGroup(this);
    const struct {
        Disposition value;
        QString text;
        QString help;
    } choices[] = {
        { Disposition::TruePositive, tr("&True positive"),
            tr("a real attack or policy violation") },
        { Disposition::FalsePositive, tr("&False positive"), tr("the detection was wrong") },
        { Disposition::Benign, tr("&Benign"), tr("real activity, but expected or harmless") },
    };
    for (const auto &choice : choices) {
        auto *button = new QRadioButton(tr("%1 (%2)").arg(choice.text, choice.help), this);
        button->setObjectName(QStringLiteral("disposition-") + dispositionName(choice.value));
        m_dispositions->addButton(button, static_cast<int>(choice.value));
        layout->addWidget(button);
    }

    layout->addWidget(new QLabel(tr("Note:"), this));
    m_note = createNoteField(this);
    layout->addWidget(m_note);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Close alert"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_dispositions, &QButtonGroup::idToggled, this, &CloseAlertDialog::updateOkButton);
    updateOkButton();
}

Disposition CloseAlertDialog::disposition() const
{
    const int id = m_dispositions->checkedId();
    return id < 0 ? Disposition::None : static_cast<Disposition>(id);
}

void CloseAlertDialog::setDisposition(Disposition disposition)
{
    if (QAbstractButton *button = m_dispositions->button(static_cast<int>(disposition)))
        button->setChecked(true);
}

QString CloseAlertDialog::note() const
{
    return m_note->toPlainText().trimmed();
}

void CloseAlertDialog::setNote(const QString &note)
{
    m_note->setPlainText(note);
}

void CloseAlertDialog::updateOkButton()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(disposition() != Disposition::None);
}

AssignAlertDialog::AssignAlertDialog(
    int alertCount, const QStringList &suggestions, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Assign %n alert(s)", nullptr, alertCount));
    auto *form = new QFormLayout(this);

    m_assignee = new QComboBox(this);
    m_assignee->setObjectName(QStringLiteral("assignee"));
    m_assignee->setEditable(true);
    m_assignee->setInsertPolicy(QComboBox::NoInsert);
    m_assignee->addItems(suggestions);
    m_assignee->lineEdit()->setMaxLength(128);
    form->addRow(tr("&Assignee:"), m_assignee);

    m_note = createNoteField(this);
    form->addRow(tr("&Note:"), m_note);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Assign"));
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_assignee, &QComboBox::currentTextChanged, this, [this](const QString &text) {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!assignee().isEmpty());
}

QString AssignAlertDialog::assignee() const
{
    return m_assignee->currentText().trimmed();
}

void AssignAlertDialog::setAssignee(const QString &assignee)
{
    m_assignee->setCurrentText(assignee);
}

QString AssignAlertDialog::note() const
{
    return m_note->toPlainText().trimmed();
}

} // namespace portcullis
