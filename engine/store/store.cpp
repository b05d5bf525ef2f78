// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/store.h"

#include "core/logging.h"
#include "store/eventcodec.h"
#include "store/eventidset.h"
#include "store/storeutil.h"

#include <QCoreApplication>

#include <sqlite3.h>

#include <map>
#include <vector>

namespace portcullis {

struct Store::Statements {
    std::map<QByteArray, Statement> bySql;
};

Store::Store()
    : m_statements(std::make_unique<Statements>())
{
}

Store::~Store()
{
    // Statements must be finalized before the connection closes.
    m_statements.reset();
    m_db.close();
}

bool Store::open(const QString &path, QString *errorMessage)
{
    m_statements->bySql.clear();
    m_linkedEvidence.clear();
    m_unindexedEventIds.reset();
    if (!m_db.open(path, errorMessage))
        return false;
    // 32 MiB of page cache (SQLite's default is 2 MiB), so that batched
    // inserts into the events indexes do not re-read pages they just wrote.
    m_db.exec("PRAGMA cache_size=-32768");
    // A throw-away store opened again has lost the EventIdSet that stood in
    // for its unique index on event_id, so the index is built again.
    return addImportRunIdentityColumns(errorMessage) && restoreEventIdIndex(errorMessage);
}

// Migration 4 was an empty placeholder for a while, so a database created
// then records schema version 4 or later without the columns it now adds.
// Adds them to such a database.
bool Store::addImportRunIdentityColumns(QString *errorMessage)
{
    bool present = false;
    {
        Statement columns = m_db.prepare("SELECT 1 FROM pragma_table_info('import_runs') "
                                         "WHERE name = 'id_prefix'");
        if (!columns.isValid())
            return storeutil::fail(errorMessage, m_db, "read the import_runs columns");
        present = columns.step();
    }
    if (present)
        return true;
    qCInfo(lcStore) << "Adding the file identity columns to import_runs of" << m_db.path();
    return m_db.exec("ALTER TABLE import_runs ADD COLUMN id_prefix BLOB NOT NULL DEFAULT x''",
               errorMessage)
        && m_db.exec("ALTER TABLE import_runs ADD COLUMN resume_hash BLOB NOT NULL DEFAULT x''",
            errorMessage)
        && m_db.exec("UPDATE import_runs SET id_prefix = "
                     "CAST(lower(hex(substr(fingerprint, 1, 6))) AS BLOB)",
            errorMessage)
        && m_db.exec("CREATE INDEX IF NOT EXISTS import_runs_id_prefix ON import_runs(id_prefix)",
            errorMessage);
}

bool Store::relaxForThrowAway(QString *errorMessage)
{
    // Larger pages while the database is still empty, for fewer b-tree
    // levels and page splits per inserted row. VACUUM applies the new size,
    // which it cannot do in WAL mode, so the journal moves to memory first.
    if (countEvents() == 0) {
        if (!dropEventIdIndex(errorMessage)
            || !m_db.exec("PRAGMA journal_mode=MEMORY", errorMessage)
            || !m_db.exec("PRAGMA page_size=16384", errorMessage)
            || !m_db.exec("VACUUM", errorMessage))
            return false;
    }
    // The alerts indexes below serve only the sorted alert list, and an
    // alert that grows in every batch changes four to six of them per update.
    // Debian builds SQLite with SQLITE_SECURE_DELETE, which zeroes every new
    // b-tree page. Deleted content of a throw-away file needs no overwriting.
    return m_db.exec("PRAGMA foreign_keys=OFF", errorMessage)
        && m_db.exec("PRAGMA secure_delete=OFF", errorMessage)
        && m_db.exec("DROP INDEX IF EXISTS events_ts", errorMessage)
        && m_db.exec("DROP INDEX IF EXISTS alert_events_event", errorMessage)
        && m_db.exec("DROP INDEX IF EXISTS alerts_severity; DROP INDEX IF EXISTS alerts_title; "
                     "DROP INDEX IF EXISTS alerts_rule_id; DROP INDEX IF EXISTS alerts_first_seen; "
                     "DROP INDEX IF EXISTS alerts_last_seen; "
                     "DROP INDEX IF EXISTS alerts_event_count; DROP INDEX IF EXISTS alerts_status; "
                     "DROP INDEX IF EXISTS alerts_assignee; "
                     "DROP INDEX IF EXISTS alerts_status_last_seen; "
                     "DROP INDEX IF EXISTS alerts_severity_last_seen",
            errorMessage);
}

// The unique constraint of the event_id column in migration 1's events table.
static const char eventIdUnique[] = "event_id BLOB NOT NULL UNIQUE";

// At 4,194,304 ids the EventIdSet uses 8,388,608 slots (64 MiB).
constexpr qsizetype MaxUnindexedEventIds = 4194304;

// Rebuilds the empty events table without its unique index on event_id,
// which costs about as much per insert as the table row itself. The ids
// ("PREFIX:OFFSET:INDEX" with decimal offsets) do not arrive in index order,
// so every insert searches the index from its root. An EventIdSet keeps the
// ids unique instead.
bool Store::dropEventIdIndex(QString *errorMessage)
{
    QString tableSql;
    {
        Statement select = m_db.prepare(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'");
        if (!select.isValid() || !select.step())
            return storeutil::fail(errorMessage, m_db, "read the events table definition");
        tableSql = select.columnText(0);
    }
    // Cached statements on the table would keep it from being dropped.
    m_statements->bySql.clear();
    const QString unique = QLatin1String(eventIdUnique);
    if (tableSql.contains(unique)) {
        tableSql.replace(unique, QStringLiteral("event_id BLOB NOT NULL"));
        if (!m_db.exec("DROP TABLE events", errorMessage)
            || !m_db.exec(tableSql.toUtf8().constData(), errorMessage))
            return false;
    } else if (!m_db.exec("DROP INDEX IF EXISTS events_event_id", errorMessage)) {
        return false;
    }
    bool present = false;
    if (!hasEventIdIndex(&present, errorMessage))
        return false;
    if (present) {
        qCWarning(lcStore) << "The events table of" << m_db.path()
                           << "keeps a unique index on event_id of unknown form";
        return true;
    }
    m_unindexedEventIds = std::make_unique<EventIdSet>();
    qCInfo(lcStore) << "Events of" << m_db.path()
                    << "are kept unique in memory, without an index on event_id";
    return true;
}

// Sets *present to whether events.event_id has a unique index.
bool Store::hasEventIdIndex(bool *present, QString *errorMessage)
{
    Statement *find = cached(
        "SELECT 1 FROM pragma_index_list('events') AS list, pragma_index_info(list.name) AS info "
        "WHERE list.\"unique\" = 1 AND info.name = 'event_id'");
    if (!find)
        return storeutil::fail(errorMessage, m_db, "read the indexes of the events table");
    *present = find->step();
    const QString error = find->error();
    find->reset();
    return error.isEmpty() || storeutil::fail(errorMessage, error);
}

// Builds the unique index on events.event_id when the table has none. The
// EventIdSet stays, because the caller may roll the index back with its
// transaction, and the set still contains every id stored before.
bool Store::restoreEventIdIndex(QString *errorMessage)
{
    bool present = false;
    if (!hasEventIdIndex(&present, errorMessage))
        return false;
    if (present)
        return true;
    qCInfo(lcStore) << "Building the unique index on event_id of" << m_db.path();
    return m_db.exec("CREATE UNIQUE INDEX events_event_id ON events(event_id)", errorMessage);
}

// Adds the ids of events[begin, end) to the EventIdSet before they go into
// the table without the unique index. Builds the index and sets *indexed
// when one of them may be stored already or the set is full. Inserts then go
// through the index (INSERT OR IGNORE) as in a durable store.
bool Store::checkNewEventIds(const std::vector<Event> &events, size_t begin, size_t end,
                             bool *indexed, QString *errorMessage)
{
    for (size_t i = begin; i < end; ++i) {
        if (!m_unindexedEventIds->insert(events[i].id)) {
            qCInfo(lcStore) << "Event id" << events[i].id << "may be stored already";
            *indexed = true;
            return restoreEventIdIndex(errorMessage);
        }
    }
    if (m_unindexedEventIds->size() > MaxUnindexedEventIds) {
        *indexed = true;
        return restoreEventIdIndex(errorMessage);
    }
    return true;
}

bool Store::inTransaction() const
{
    return m_db.isOpen() && sqlite3_get_autocommit(m_db.handle()) == 0;
}

Statement *Store::cached(const QByteArray &sql)
{
    auto it = m_statements->bySql.find(sql);
    if (it != m_statements->bySql.end()) {
        it->second.reset();
        return &it->second;
    }
    Statement statement = m_db.prepare(sql.constData());
    if (!statement.isValid())
        return nullptr;
    return &m_statements->bySql.emplace(sql, std::move(statement)).first->second;
}

// Columns of an event row, and how many rows one INSERT statement carries:
// one statement per row spends more on starting the statement, opening the
// table and index cursors and halting than on the insert itself.
static const char insertEventColumns[]
    = "INSERT OR IGNORE INTO events (event_id, ts_ms, category, action, outcome, source_ip, "
      "user_name, host_name, file_path, line_number, file_offset, original, original_truncated, "
      "fields) VALUES ";
constexpr int EventColumns = 14;
constexpr int EventRowsPerInsert = 32;

static QByteArray insertEventSql(int rows)
{
    QByteArray sql = insertEventColumns;
    for (int row = 0; row < rows; ++row)
        sql += row == 0 ? "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    return sql;
}

namespace {

// UTF-8 buffers reused across the events of one insertEvents() call, one set
// per row of a statement. Values that repeat from event to event (host, file,
// action: interned strings that share their data) are encoded once. The
// statements are rewound without clearing their bindings, so a parameter
// still bound to the same unchanged bytes or number is not bound again.
class EventTextBuffers
{
public:
    EventTextBuffers()
        : m_slots(EventRowsPerInsert * (EventColumns + 1))
        , m_fields(EventRowsPerInsert)
        , m_bound(EventRowsPerInsert * EventColumns)
    {
    }

    // Binds `value` as text without a copy, or NULL when `present` is false.
    void bind(Statement *statement, int row, int column, const QString &value,
              bool present = true)
    {
        const int index = row * EventColumns + column;
        if (!present) {
            bindNull(statement, index);
            return;
        }
        Slot &slot = m_slots[size_t(row * (EventColumns + 1) + column)];
        // A shared buffer is not enough: the syslog parser gives lines that
        // are slices of one shared block (text::RecyclingDecoder).
        const bool same = slot.source.isSharedWith(value)
                          && slot.source.constData() == value.constData()
                          && slot.source.size() == value.size();
        if (!slot.valid || !same || value.isEmpty()) {
            slot.source = value;
            slot.bytes = utf8Into(slot.buffer, value);
            slot.valid = true;
            // The buffer may keep its address with other bytes in it.
            m_bound[size_t(index - 1)] = Bound();
        }
        bindText(statement, index, slot.bytes);
    }

    // Binds `bytes`, which stay unchanged while this object exists.
    void bindText(Statement *statement, int index, QByteArrayView bytes)
    {
        Bound &bound = m_bound[size_t(index - 1)];
        if (bound.statement == statement && bound.kind == Bound::Text
            && bound.data == bytes.data() && bound.size == bytes.size())
            return;
        statement->bindStaticText(index, bytes);
        bound = Bound { statement, Bound::Text, bytes.data(), bytes.size() };
    }

    void bindNumber(Statement *statement, int index, qint64 value)
    {
        Bound &bound = m_bound[size_t(index - 1)];
        if (bound.statement == statement && bound.kind == Bound::Number && bound.size == value)
            return;
        statement->bind(index, value);
        bound = Bound { statement, Bound::Number, nullptr, value };
    }

    QByteArray &fields(int row) { return m_fields[size_t(row)]; }

private:
    void bindNull(Statement *statement, int index)
    {
        Bound &bound = m_bound[size_t(index - 1)];
        if (bound.statement == statement && bound.kind == Bound::Null)
            return;
        statement->bindNull(index);
        bound = Bound { statement, Bound::Null, nullptr, 0 };
    }

    struct Slot
    {
        QString source;
        QByteArray buffer;
        QByteArrayView bytes;
        bool valid = false;
    };
    // The value a parameter of `statement` is bound to: text at `data` with
    // `size` bytes, the number `size`, or NULL.
    struct Bound
    {
        enum Kind : quint8 { None, Text, Number, Null };
        const Statement *statement = nullptr;
        Kind kind = None;
        const char *data = nullptr;
        qint64 size = 0;
    };
    std::vector<Slot> m_slots;
    std::vector<QByteArray> m_fields;
    std::vector<Bound> m_bound;  // by parameter index - 1
};

// ECS names of the categories and outcomes as UTF-8, built once.
QByteArrayView categoryUtf8(EventCategory category)
{
    static const QList<QByteArray> names = [] {
        QList<QByteArray> list;
        for (int i = 0; i <= int(EventCategory::Configuration); ++i)
            list.append(categoryName(EventCategory(i)).toUtf8());
        return list;
    }();
    return names.value(int(category));
}

QByteArrayView outcomeUtf8(EventOutcome outcome)
{
    static const QList<QByteArray> names = [] {
        QList<QByteArray> list;
        for (int i = 0; i <= int(EventOutcome::Failure); ++i)
            list.append(outcomeName(EventOutcome(i)).toUtf8());
        return list;
    }();
    return names.value(int(outcome));
}

// Binds `event` as row `row` (0-based) of a multi-row event insert.
void bindEvent(Statement *statement, int row, const Event &event, EventTextBuffers &text)
{
    const int base = row * EventColumns;
    statement->bindStaticBlob(base + 1, event.id);
    statement->bind(base + 2, event.timestampMs);
    text.bindText(statement, base + 3, categoryUtf8(event.category));
    text.bind(statement, row, 4, event.action);
    text.bindText(statement, base + 5, outcomeUtf8(event.outcome));
    text.bind(statement, row, 6, event.sourceIp, !event.sourceIp.isEmpty());
    text.bind(statement, row, 7, event.userName, event.hasUserName);
    text.bind(statement, row, 8, event.hostName, !event.hostName.isEmpty());
    text.bind(statement, row, 9, event.filePath, !event.filePath.isEmpty());
    statement->bind(base + 10, event.lineNumber);
    statement->bind(base + 11, event.fileOffset);
    text.bind(statement, row, 12, event.original);
    text.bindNumber(statement, base + 13, event.originalTruncated ? 1 : 0);
    writeEventFieldsJson(text.fields(row), event);
    statement->bindStaticText(base + 14, text.fields(row));
}

} // namespace

// The hot path of an import. Events go in EventRowsPerInsert at a time, every
// parameter bound without a copy from buffers that outlive the step; the
// rest of the batch goes one row per statement.
bool Store::insertEvents(const std::vector<Event> &events, qint64 *inserted, QString *errorMessage)
{
    bool indexed = true;
    if (m_unindexedEventIds && !hasEventIdIndex(&indexed, errorMessage))
        return false;
    const size_t bulkRows = events.size() - events.size() % EventRowsPerInsert;
    Statement *bulk = bulkRows > 0 ? cached(insertEventSql(EventRowsPerInsert)) : nullptr;
    Statement *single = cached(insertEventSql(1));
    if (!single || (bulkRows > 0 && !bulk))
        return storeutil::fail(errorMessage, m_db, "prepare event insert");

    EventTextBuffers text;
    qint64 count = 0;
    size_t next = 0;
    bool ok = true;
    while (ok && next < events.size()) {
        const bool many = next < bulkRows;
        Statement *statement = many ? bulk : single;
        const int rows = many ? EventRowsPerInsert : 1;
        if (!indexed && !checkNewEventIds(events, next, next + size_t(rows), &indexed, errorMessage))
            return false;
        for (int row = 0; row < rows; ++row)
            bindEvent(statement, row, events[next + size_t(row)], text);
        next += size_t(rows);

        statement->step();
        const QString error = statement->error();
        count += m_db.changes();
        // Bindings stay for the next rows, and are cleared once, below.
        statement->rewind();
        if (!error.isEmpty())
            ok = storeutil::fail(errorMessage, error);
    }
    // The statements are cached, and their text parameters point into
    // `text`, which goes out of scope here.
    single->reset();
    if (bulk)
        bulk->reset();
    if (ok && inserted)
        *inserted = count;
    return ok;
}

bool Store::deleteEventsWithIdPrefix(const QByteArray &idPrefix, QString *errorMessage)
{
    if (idPrefix.isEmpty())
        return true;
    if (m_unindexedEventIds && !restoreEventIdIndex(errorMessage))
        return false;
    Statement *statement = cached("DELETE FROM events WHERE event_id >= ? AND event_id < ?");
    if (!statement)
        return storeutil::fail(errorMessage, m_db, "prepare event delete");
    // Every id with the prefix sorts at or after it and before the prefix
    // with its last byte raised by one (":" becomes ";").
    QByteArray upper = idPrefix;
    upper[upper.size() - 1] = char(upper.at(upper.size() - 1) + 1);
    statement->bind(1, idPrefix);
    statement->bind(2, upper);
    statement->step();
    const QString error = statement->error();
    statement->reset();
    if (!error.isEmpty())
        return storeutil::fail(errorMessage, error);
    return true;
}

static Event eventFromRow(const Statement &row)
{
    Event event;
    event.id = row.columnBlob(0);
    event.timestampMs = row.columnInt64(1);
    event.category = categoryFromName(row.columnText(2));
    event.action = row.columnText(3);
    event.outcome = outcomeFromName(row.columnText(4));
    event.sourceIp = row.columnText(5);
    event.hasUserName = !row.columnIsNull(6);
    event.userName = row.columnText(6);
    event.hostName = row.columnText(7);
    event.filePath = row.columnText(8);
    event.lineNumber = row.columnInt64(9);
    event.fileOffset = row.columnInt64(10);
    event.original = row.columnText(11);
    event.originalTruncated = row.columnInt(12) != 0;
    if (!applyEventFieldsJson(row.columnBlob(13), &event))
        qCWarning(lcStore) << "Stored fields of event" << event.id << "are not a JSON object";
    return event;
}

QVector<Event> Store::eventsByIds(const QVector<QByteArray> &eventIds)
{
    QVector<Event> events;
    QString error;
    if (m_unindexedEventIds && !restoreEventIdIndex(&error))
        qCWarning(lcStore) << "Reading events by id without an index:" << error;
    Statement *statement = cached(
        "SELECT event_id, ts_ms, category, action, outcome, source_ip, user_name, host_name, "
        "file_path, line_number, file_offset, original, original_truncated, fields "
        "FROM events WHERE event_id = ?");
    if (!statement)
        return events;
    events.reserve(eventIds.size());
    for (const QByteArray &id : eventIds) {
        statement->reset();
        statement->bind(1, id);
        if (statement->step())
            events.append(eventFromRow(*statement));
    }
    statement->reset();
    return events;
}

qint64 Store::countEvents()
{
    Statement *statement = cached("SELECT COUNT(*) FROM events");
    const qint64 count = statement && statement->step() ? statement->columnInt64(0) : 0;
    if (statement)
        statement->reset();
    return count;
}

} // namespace portcullis
