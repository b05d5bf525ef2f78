// SPDX-License-Identifier: GPL-3.0-or-later
#include "fraud/listservice.h"

#include "core/logging.h"
#include "fraud/review.h"
#include "security/auditlog.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>

#include <map>

namespace portcullis::fraud {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("portcullis::fraud::FraudListService", text);
}

// The lists the review queue fills, shown by `fraud lists` even when empty.
struct KnownList
{
    const char *name;
    const char *description;
};

const KnownList KnownLists[] = {
    {BlockedCardsList, QT_TRANSLATE_NOOP("portcullis::fraud::FraudListService",
                           "card fingerprints blocked by a review decision or by hand")},
    {BlockedCustomersList, QT_TRANSLATE_NOOP("portcullis::fraud::FraudListService",
                               "customer ids blocked by a review decision or by hand")},
    {RefundRequestsList, QT_TRANSLATE_NOOP("portcullis::fraud::FraudListService",
                             "payments a reviewer asked to refund")},
    {ReviewedPaymentsList, QT_TRANSLATE_NOOP("portcullis::fraud::FraudListService",
                               "payments a reviewer decided")},
};

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || c == u'_';
}

} // namespace

bool FraudListService::checkListName(const QString &name, QString *errorMessage)
{
    bool valid = !name.isEmpty() && name.size() <= MaxListNameLength;
    for (QChar c : name)
        valid = valid && isNameCharacter(c);
    if (!valid) {
        *errorMessage = tr("invalid list name '%1': use 1 to %2 letters, digits or underscores, "
                           "as in @blocked_cards")
                            .arg(name.left(MaxListNameLength + 8)).arg(MaxListNameLength);
    }
    return valid;
}

bool FraudListService::checkListValue(const QString &value, QString *errorMessage)
{
    const QString trimmed = value.trimmed();
    bool valid = !trimmed.isEmpty() && trimmed.size() <= MaxListValueLength;
    for (QChar c : trimmed)
        valid = valid && c.category() != QChar::Other_Control;
    if (!valid) {
        *errorMessage = tr("invalid list value: it must have 1 to %1 characters after trimming "
                           "and no control characters")
                            .arg(MaxListValueLength);
    }
    return valid;
}

bool FraudListService::lists(const Identity &who, QList<ListSummary> *result,
    QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage))
        return false;
    FraudStore store(m_db);
    std::map<QString, ListSummary> byName;
    for (const KnownList &known : KnownLists) {
        const QString name = QLatin1String(known.name);
        byName[name] = {name, 0,
            QCoreApplication::translate("portcullis::fraud::FraudListService", known.description)};
    }
    QString error;
    for (const QString &name : store.listNames(&error)) {
        ListSummary &summary = byName[name];
        summary.name = name;
        summary.itemCount = store.listItems(name, &error).size();
    }
    if (!error.isEmpty()) {
        *errorMessage = error;
        return false;
    }
    result->clear();
    for (const auto &entry : byName)
        result->append(entry.second);
    return true;
}

bool FraudListService::items(const Identity &who, const QString &list, QList<ListItem> *result,
    QString *errorMessage)
{
    if (!checkPermission(who, Permission::ViewAlerts, errorMessage)
        || !checkListName(list, errorMessage))
        return false;
    QString error;
    *result = FraudStore(m_db).listItems(list, &error);
    if (!error.isEmpty()) {
        *errorMessage = error;
        return false;
    }
    return true;
}

bool FraudListService::contains(const QString &list, const QString &value, bool *found,
    QString *errorMessage)
{
    QString error;
    const QList<ListItem> existing = FraudStore(m_db).listItems(list, &error);
    if (!error.isEmpty()) {
        *errorMessage = error;
        return false;
    }
    *found = std::any_of(existing.begin(), existing.end(),
        [&](const ListItem &item) { return item.value == value; });
    return true;
}

bool FraudListService::add(const Identity &who, const QString &list, const QString &value,
    const QString &reason, bool *added, QString *errorMessage)
{
    if (!checkPermission(who, Permission::RunPlaybooks, errorMessage)
        || !checkListName(list, errorMessage) || !checkListValue(value, errorMessage))
        return false;
    if (reason.trimmed().isEmpty()) {
        *errorMessage = tr("a reason is required to add '%1' to %2; give it with --reason")
                            .arg(value.trimmed(), list.toLower());
        return false;
    }
    bool found = false;
    if (!contains(list.toLower(), value.trimmed(), &found, errorMessage))
        return false;
    if (!writeAudited(who, QStringLiteral("fraud.list.add"), list, value, reason, false,
            errorMessage))
        return false;
    *added = !found;
    return true;
}

bool FraudListService::remove(const Identity &who, const QString &list, const QString &value,
    const QString &reason, QString *errorMessage)
{
    if (!checkPermission(who, Permission::RunPlaybooks, errorMessage)
        || !checkListName(list, errorMessage) || !checkListValue(value, errorMessage))
        return false;
    bool found = false;
    if (!contains(list.toLower(), value.trimmed(), &found, errorMessage))
        return false;
    if (!found) {
        *errorMessage = tr("'%1' not found in list %2; `fraud list show %2` prints its values")
                            .arg(value.trimmed(), list.toLower());
        return false;
    }
    return writeAudited(who, QStringLiteral("fraud.list.remove"), list, value, reason, true,
        errorMessage);
}

bool FraudListService::writeAudited(const Identity &who, const QString &action,
    const QString &list, const QString &value, const QString &reason, bool remove,
    QString *errorMessage)
{
    const QString name = list.toLower();
    const QString trimmed = value.trimmed();
    if (!m_db.begin(errorMessage))
        return false;
    FraudStore store(m_db);
    const bool changed = remove
        ? store.removeListItem(name, trimmed, errorMessage)
        : store.addListItem(ListItem{name, trimmed, QDateTime::currentMSecsSinceEpoch(),
                                who.userName, reason.trimmed()},
            errorMessage);
    const QJsonObject details{{QStringLiteral("list"), name}, {QStringLiteral("value"), trimmed},
        {QStringLiteral("reason"), reason.trimmed()}};
    AuditLog audit(m_db);
    if (!changed
        || !audit.append(who, action, QStringLiteral("fraud_list:") + name, details,
            errorMessage)) {
        m_db.rollback();
        return false;
    }
    if (!m_db.commit(errorMessage)) {
        m_db.rollback();
        return false;
    }
    qCInfo(lcSecurity) << action << "list" << name << "by" << who.userName;
    return true;
}

} // namespace portcullis::fraud
