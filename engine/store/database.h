// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVariant>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace portcullis {

// A prepared statement. Bind with 1-based indexes, step, read columns with
// 0-based indexes. Telemetry text is only ever bound, never spliced into SQL.
class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, sqlite3_stmt *stmt);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    void bind(int index, qint64 value);
    void bind(int index, int value) { bind(index, static_cast<qint64>(value)); }
    void bind(int index, double value);
    void bind(int index, const QString &value);       // bound as UTF-8 text
    void bind(int index, const QByteArray &value);    // bound as a blob
    void bindText(int index, const QByteArray &utf8); // bound as text
    void bindNull(int index);
    // Bound without a copy: the bytes must stay unchanged until the statement
    // is stepped and rewound (hot insert loops that reuse their buffers).
    void bindStaticText(int index, QByteArrayView utf8);
    void bindStaticBlob(int index, QByteArrayView bytes);

    // Returns true while a row is available; false when done. On an error it
    // returns false and error() is non-empty.
    bool step();
    void reset();
    // Like reset(), but keeps the bound values, for loops that bind every
    // parameter again before each step. A static binding keeps pointing at
    // its buffer until it is bound again or reset() clears it.
    void rewind();

    qint64 columnInt64(int column) const;
    int columnInt(int column) const { return static_cast<int>(columnInt64(column)); }
    double columnDouble(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const;
    bool columnIsNull(int column) const;

    QString error() const { return m_error; }

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_error;
};

// One SQLite connection. Not thread-safe: use one per thread.
class Database
{
public:
    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // Opens or creates the file (mode 0600), turns on WAL and foreign keys and
    // applies pending migrations. ":memory:" opens a throw-away store.
    bool open(const QString &path, QString *errorMessage);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    QString path() const { return m_path; }

    Statement prepare(const char *sql, QString *errorMessage = nullptr);
    bool exec(const char *sql, QString *errorMessage = nullptr);

    bool begin(QString *errorMessage = nullptr);   // BEGIN IMMEDIATE
    bool commit(QString *errorMessage = nullptr);
    bool rollback();

    qint64 lastInsertRowId() const;
    int changes() const;
    int schemaVersion() const;

    sqlite3 *handle() const { return m_db; }

private:
    bool migrate(QString *errorMessage);

    sqlite3 *m_db = nullptr;
    QString m_path;
};

} // namespace portcullis
