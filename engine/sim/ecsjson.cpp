// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/ecsjson.h"

#include <QDateTime>

namespace portcullis::sim {

void setPath(QJsonObject &root, QStringView dottedPath, const QJsonValue &value)
{
    const qsizetype dot = dottedPath.indexOf(QLatin1Char('.'));
    if (dot < 0) {
        root.insert(dottedPath.toString(), value);
        return;
    }

    const QString head = dottedPath.left(dot).toString();
    QJsonObject child = root.value(head).toObject();
    setPath(child, dottedPath.mid(dot + 1), value);
    root.insert(head, child);
}

QJsonValue valueAt(const QJsonObject &root, QStringView dottedPath)
{
    const qsizetype dot = dottedPath.indexOf(QLatin1Char('.'));
    if (dot < 0)
        return root.value(dottedPath.toString());
    const QJsonValue child = root.value(dottedPath.left(dot).toString());
    if (!child.isObject())
        return QJsonValue(QJsonValue::Undefined);
    return valueAt(child.toObject(), dottedPath.mid(dot + 1));
}

QString isoTime(qint64 timeMs)
{
    return QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace portcullis::sim
