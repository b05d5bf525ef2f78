// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/database.h"

#include "core/logging.h"
#include "store/migrations.h"

#include <QFile>

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace portcullis {

Statement::Statement(sqlite3 *db, sqlite3_stmt *stmt)
    : m_db(db), m_stmt(stmt)
{
}

Statement::~Statement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept
    : m_db(other.m_db), m_stmt(other.m_stmt), m_error(std::move(other.m_error))
{
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        m_error = std::move(other.m_error);
        other.m_stmt = nullptr;
    }
    return *this;
}

void Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void Statement::bind(int index, const QString &value)
{
    bindText(index, value.toUtf8());
}

void Statement::bind(int index, const QByteArray &value)
{
    sqlite3_bind_blob64(m_stmt, index, value.constData(), static_cast<sqlite3_uint64>(value.size()),
                        SQLITE_TRANSIENT);
}

void Statement::bindText(int index, const QByteArray &utf8)
{
    sqlite3_bind_text64(m_stmt, index, utf8.constData(), static_cast<sqlite3_uint64>(utf8.size()),
                        SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bindStaticText(int index, QByteArrayView utf8)
{
    sqlite3_bind_text64(m_stmt, index, utf8.data(), static_cast<sqlite3_uint64>(utf8.size()),
                        SQLITE_STATIC, SQLITE_UTF8);
}

void Statement::bindStaticBlob(int index, QByteArrayView bytes)
{
    sqlite3_bind_blob64(m_stmt, index, bytes.data(), static_cast<sqlite3_uint64>(bytes.size()),
                        SQLITE_STATIC);
}

void Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE) {
        m_error = QString::fromUtf8(sqlite3_errmsg(m_db));
        qCWarning(lcStore) << "SQLite step failed:" << m_error;
    }
    return false;
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_error.clear();
}

void Statement::rewind()
{
    sqlite3_reset(m_stmt);
    m_error.clear();
}

qint64 Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

QString Statement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::columnBlob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

Database::Database() = default;

Database::~Database()
{
    close();
}

// Creates the file with mode 0600 before SQLite opens it, so that no other
// user can read it even for a moment. SQLite gives its -wal and -shm files
// the main file's permissions.
static bool createPrivateFile(const QString &path, QString *errorMessage)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errorMessage)
            *errorMessage = QStringLiteral("Cannot create database file %1: %2")
                                .arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    ::close(fd);
    return true;
}

bool Database::open(const QString &path, QString *errorMessage)
{
    close();
    const bool inMemory = path == QLatin1String(":memory:");
    if (!inMemory && !createPrivateFile(path, errorMessage))
        return false;

    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        if (errorMessage)
            *errorMessage = QStringLiteral("Cannot open database %1: %2")
                                .arg(path, QString::fromUtf8(sqlite3_errstr(rc)));
        close();
        return false;
    }
    m_path = path;
    sqlite3_busy_timeout(m_db, 5000);

    if (!exec("PRAGMA journal_mode=WAL", errorMessage) || !exec("PRAGMA foreign_keys=ON", errorMessage)
        || !exec("PRAGMA synchronous=NORMAL", errorMessage)) {
        close();
        return false;
    }
    if (!migrate(errorMessage)) {
        close();
        return false;
    }
    return true;
}

void Database::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
    m_path.clear();
}

Statement Database::prepare(const char *sql, QString *errorMessage)
{
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(m_db));
        qCWarning(lcStore) << "SQLite prepare failed:" << message << "in" << sql;
        if (errorMessage)
            *errorMessage = message;
        return Statement();
    }
    return Statement(m_db, stmt);
}

bool Database::exec(const char *sql, QString *errorMessage)
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        const QString message = QString::fromUtf8(error ? error : sqlite3_errstr(rc));
        sqlite3_free(error);
        qCWarning(lcStore) << "SQLite exec failed:" << message;
        if (errorMessage)
            *errorMessage = message;
        return false;
    }
    return true;
}

bool Database::begin(QString *errorMessage)
{
    return exec("BEGIN IMMEDIATE", errorMessage);
}

bool Database::commit(QString *errorMessage)
{
    return exec("COMMIT", errorMessage);
}

bool Database::rollback()
{
    return exec("ROLLBACK");
}

qint64 Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::changes() const
{
    return sqlite3_changes(m_db);
}

int Database::schemaVersion() const
{
    sqlite3_stmt *stmt = nullptr;
    int version = 0;
    if (sqlite3_prepare_v2(m_db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        version = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return version;
}

// Applies each numbered migration above PRAGMA user_version in its own
// transaction, so a crash between two leaves a consistent older schema.
bool Database::migrate(QString *errorMessage)
{
    const int current = schemaVersion();
    const auto &all = migrations();
    if (current > static_cast<int>(all.size())) {
        if (errorMessage)
            *errorMessage = QStringLiteral("Database %1 has schema version %2, newer than this "
                                           "Portcullis (%3); upgrade Portcullis to open it.")
                                .arg(m_path).arg(current).arg(all.size());
        return false;
    }
    for (int version = current + 1; version <= static_cast<int>(all.size()); ++version) {
        if (!begin(errorMessage))
            return false;
        QString error;
        const QByteArray pragma = "PRAGMA user_version=" + QByteArray::number(version);
        if (!exec(all[version - 1], &error) || !exec(pragma.constData(), &error)) {
            rollback();
            if (errorMessage)
                *errorMessage = QStringLiteral("Schema migration %1 failed: %2").arg(version).arg(error);
            return false;
        }
        if (!commit(errorMessage))
            return false;
        qCInfo(lcStore) << "Applied schema migration" << version << "to" << m_path;
    }
    return true;
}

} // namespace portcullis
