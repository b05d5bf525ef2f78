// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/fraudstore.h"
#include "security/identity.h"

#include <QList>
#include <QString>

namespace portcullis {
class Database;
}

namespace portcullis::fraud {

// A value list and its size, for `fraud lists`.
struct ListSummary
{
    QString name;
    qint64 itemCount = 0;
    QString description;  // empty for a list the engine does not fill itself
};

// Maximum lengths of a list name and of a list value.
inline constexpr int MaxListNameLength = 64;
inline constexpr int MaxListValueLength = 512;

// Reads and edits the value lists that rules test with `@name`
// (blocked_cards, blocked_customers, ...) for a signed-in user. Reading
// needs Permission::ViewAlerts. Adding and removing need
// Permission::RunPlaybooks, the permission of the review queue's block
// decisions, and write the change and its audit record ("fraud.list.add",
// "fraud.list.remove") in one transaction.
class FraudListService
{
public:
    explicit FraudListService(Database &db) : m_db(db) {}

    // Every list with items, plus the lists the review queue fills, by name.
    bool lists(const Identity &who, QList<ListSummary> *result, QString *errorMessage);
    bool items(const Identity &who, const QString &list, QList<ListItem> *result,
        QString *errorMessage);

    // Adds `value` to `list`, or replaces the reason of a value already
    // there. Sets `*added` to true for a new value. The reason is required.
    bool add(const Identity &who, const QString &list, const QString &value,
        const QString &reason, bool *added, QString *errorMessage);
    // Fails with "not found" when the list does not contain `value`.
    bool remove(const Identity &who, const QString &list, const QString &value,
        const QString &reason, QString *errorMessage);

    // A list name is 1 to MaxListNameLength letters, digits or underscores,
    // the characters `@name` in a rule may contain. Names ignore case.
    static bool checkListName(const QString &name, QString *errorMessage);
    // A value is 1 to MaxListValueLength characters without control
    // characters, after trimming white space.
    static bool checkListValue(const QString &value, QString *errorMessage);

private:
    bool contains(const QString &list, const QString &value, bool *found, QString *errorMessage);
    bool writeAudited(const Identity &who, const QString &action, const QString &list,
        const QString &value, const QString &reason, bool remove, QString *errorMessage);

    Database &m_db;
};

} // namespace portcullis::fraud
