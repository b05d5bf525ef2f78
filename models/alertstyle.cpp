// SPDX-License-Identifier: GPL-3.0-or-later
#include "alertstyle.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace portcullis {

namespace {

// Gives the labels below one translation context.
struct AlertStyle {
    Q_DECLARE_TR_FUNCTIONS(AlertStyle)
};

QPixmap severitySwatch(Severity severity, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);

    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(severityColor(severity).darker(130));
    painter.setBrush(severityColor(severity));
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 2.5, 2.5);
    return pixmap;
}

} // namespace

QString severityLabel(Severity severity)
{
    switch (severity) {
    case Severity::Informational:
        return AlertStyle::tr("Info");
    case Severity::Low:
        return AlertStyle::tr("Low");
    case Severity::Medium:
        return AlertStyle::tr("Medium");
    case Severity::High:
        return AlertStyle::tr("High");
    case Severity::Critical:
        return AlertStyle::tr("Critical");
    }
    return QString();
}

QString statusLabel(AlertStatus status)
{
    switch (status) {
    case AlertStatus::Open:
        return AlertStyle::tr("Open");
    case AlertStatus::Acknowledged:
        return AlertStyle::tr("Acknowledged");
    case AlertStatus::Closed:
        return AlertStyle::tr("Closed");
    }
    return QString();
}

QString dispositionLabel(Disposition disposition)
{
    switch (disposition) {
    case Disposition::None:
        return QString();
    case Disposition::TruePositive:
        return AlertStyle::tr("True positive");
    case Disposition::FalsePositive:
        return AlertStyle::tr("False positive");
    case Disposition::Benign:
        return AlertStyle::tr("Benign");
    }
    return QString();
}

QColor severityColor(Severity severity)
{
    switch (severity) {
    case Severity::Informational:
        return QColor(0x78, 0x90, 0x9c); // blue grey
    case Severity::Low:
        return QColor(0x1e, 0x88, 0xe5); // blue
    case Severity::Medium:
        return QColor(0xf9, 0xa8, 0x25); // amber
    case Severity::High:
        return QColor(0xef, 0x6c, 0x00); // orange
    case Severity::Critical:
        return QColor(0xc6, 0x28, 0x28); // red
    }
    return QColor(Qt::gray);
}

QIcon severityIcon(Severity severity)
{
    static QHash<int, QIcon> cache;
    const int key = static_cast<int>(severity);
    auto it = cache.find(key);
    if (it == cache.end()) {
        QIcon icon;
        icon.addPixmap(severitySwatch(severity, 12));
        icon.addPixmap(severitySwatch(severity, 16));
        icon.addPixmap(severitySwatch(severity, 24));
        it = cache.insert(key, icon);
    }
    return it.value();
}

QList<Severity> allSeverities()
{
    return { Severity::Critical, Severity::High, Severity::Medium, Severity::Low,
        Severity::Informational };
}

QList<AlertStatus> allStatuses()
{
    return { AlertStatus::Open, AlertStatus::Acknowledged, AlertStatus::Closed };
}

QString formatTimestamp(qint64 msecsSinceEpoch)
{
    if (msecsSinceEpoch == 0)
        return QString();
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC);
    return time.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace portcullis
