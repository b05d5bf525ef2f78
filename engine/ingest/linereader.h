// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>

namespace portcullis {

// One line of a file without its terminator ("\n", "\r\n" or a lone "\r").
struct FileLine {
    QByteArrayView text; // valid until the next call to LineReader::next()
    qint64 offset = 0; // byte offset of the line's first byte
    qint64 endOffset = 0; // byte offset just past the line's terminator
    qint64 lineNumber = 0; // 1-based
    bool truncated = false; // the line was longer than the limit and was cut to it
    bool terminated = false; // false for a last line that ends the file without a terminator
};

// Reads a file's lines through a large buffer (one read() per chunk, not per
// line). Lines end at "\n", "\r\n" or a lone "\r" (classic Mac OS and some
// network devices). Lines longer than `maxLineBytes` are cut to it and
// flagged; the rest of such a line is skipped. A last line without a
// terminator is returned too, with FileLine::terminated false.
class LineReader {
public:
    LineReader(QFile &file, qsizetype maxLineBytes, qsizetype chunkBytes = 4 * 1024 * 1024);

    // Starts at `offset`, which must be a line start, counting lines from
    // `lineNumber` + 1. Returns false when the file cannot seek there.
    bool seek(qint64 offset, qint64 lineNumber);

    // Returns false at the end of the file or on a read error (see error()).
    bool next(FileLine *line);

    QString error() const { return m_error; }

private:
    bool fill();
    bool nextLongLine(FileLine *line);
    bool skipToLineEnd();

    QFile &m_file;
    qsizetype m_maxLineBytes;
    qsizetype m_chunkBytes;
    QByteArray m_buffer;
    qsizetype m_position = 0; // next unread byte in m_buffer
    // m_buffer contains no "\r" from m_position up to this index.
    qsizetype m_carriageFreeEnd = 0;
    qint64 m_bufferOffset = 0; // file offset of m_buffer[0]
    qint64 m_lineNumber = 0;
    bool m_eof = false;
    QByteArray m_longLine; // the kept head of a line longer than the limit
    QString m_error;
};

} // namespace portcullis
