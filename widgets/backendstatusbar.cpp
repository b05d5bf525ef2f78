// SPDX-License-Identifier: GPL-3.0-or-later
#include "backendstatusbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocument>

namespace portcullis {

namespace {

constexpr int MaxLabelReasonChars = 40;

QString shortState(const BackendState &state)
{
    switch (state.kind) {
    case BackendState::Connecting:
        return state.reason.isEmpty() ? BackendStatusBar::tr("connecting")
                                      : BackendStatusBar::tr("retrying");
    case BackendState::Connected:
        return BackendStatusBar::tr("connected");
    case BackendState::Lagging:
        return BackendStatusBar::tr("lagging %1 s").arg(state.lagSeconds);
    case BackendState::Error:
        return BackendStatusBar::tr("error");
    case BackendState::Stopped:
        return BackendStatusBar::tr("stopped");
    }
    return QString();
}

QString styleFor(const BackendState &state)
{
    if (state.kind == BackendState::Error)
        return QStringLiteral("color: #c62828; font-weight: bold");
    if (state.kind == BackendState::Lagging
        || (state.kind == BackendState::Connecting && !state.reason.isEmpty()))
        return QStringLiteral("color: #a15c00");
    return QString();
}

} // namespace

BackendStatusBar::BackendStatusBar(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QHBoxLayout(this))
{
    setObjectName(QStringLiteral("backendStatusBar"));
    m_layout->setContentsMargins(6, 0, 6, 0);
    m_layout->setSpacing(12);
}

void BackendStatusBar::setConnectionState(
    const QString &name, const QUrl &url, const BackendState &state)
{
    Entry &entry = m_entries[name];
    if (!entry.label) {
        entry.label = new QLabel(this);
        entry.label->setObjectName(QStringLiteral("backendState_") + name);
        entry.label->setTextFormat(Qt::PlainText);
        m_layout->addWidget(entry.label);
    }
    if (url.isValid())
        entry.url = url;
    if (state.kind == BackendState::Error || !state.reason.isEmpty())
        entry.lastError = state.reason;
    QString text = tr("Backend %1: %2").arg(name, shortState(state));
    if (state.kind == BackendState::Error && !state.reason.isEmpty())
        text += QStringLiteral(" (%1)").arg(
            state.reason.left(MaxLabelReasonChars)
            + (state.reason.size() > MaxLabelReasonChars ? QStringLiteral("…") : QString()));
    entry.label->setText(text);
    entry.label->setToolTip(toolTip(name, entry, state));
    entry.label->setStyleSheet(styleFor(state));
}

QLabel *BackendStatusBar::label(const QString &name) const
{
    return m_entries.value(name).label;
}

QString BackendStatusBar::toolTip(
    const QString &name, const Entry &entry, const BackendState &state)
{
    QStringList lines;
    lines << tr("Backend connection %1").arg(name);
    lines << tr("URL: %1").arg(entry.url.isValid() ? entry.url.toString() : tr("unknown"));
    lines << tr("State: %1").arg(stateText(state));
    lines << tr("Lag: %1 seconds").arg(state.lagSeconds);
    lines << tr("Last error: %1").arg(entry.lastError.isEmpty() ? tr("none") : entry.lastError);
    // A tooltip that looks like markup is shown as rich text, so the lines
    // (which quote the network) are converted to escaped HTML first.
    return Qt::convertFromPlainText(lines.join(QLatin1Char('\n')), Qt::WhiteSpaceNormal);
}

} // namespace portcullis
