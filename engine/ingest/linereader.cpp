// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/linereader.h"

#include <cstring>

namespace portcullis {

namespace {

// Finds the end of the line at `start`: the first "\n", "\r\n" or lone "\r"
// in the `available` bytes. Returns the length of the line's text and sets
// `terminatorBytes`, or returns -1 when the bytes hold no terminator yet. A
// "\r" that ends the bytes counts only at the end of the file, because a
// "\n" may follow it in the next chunk. `carriageFree` is updated as below.
qsizetype findLineEnd(const char *start, qsizetype available, bool eof, int *terminatorBytes,
                      qsizetype *carriageFree)
{
    const auto *newline = static_cast<const char *>(std::memchr(start, '\n', size_t(available)));
    const qsizetype scanned = newline ? newline - start : available;
    // The first `*carriageFree` bytes contain no "\r". Past them, one search up
    // to the end of the bytes serves this line and the lines after it, so a
    // file without "\r" costs one search per chunk instead of one per line.
    if (*carriageFree < scanned) {
        const auto *carriage = static_cast<const char *>(
            std::memchr(start + *carriageFree, '\r', size_t(available - *carriageFree)));
        *carriageFree = carriage ? carriage - start : available;
    }
    if (*carriageFree < scanned) {
        const qsizetype length = *carriageFree;
        if (length + 1 < available) {
            *terminatorBytes = start[length + 1] == '\n' ? 2 : 1;
            return length;
        }
        if (!eof)
            return -1;
        *terminatorBytes = 1;
        return length;
    }
    if (!newline)
        return -1;
    *terminatorBytes = 1;
    return scanned;
}

} // namespace

LineReader::LineReader(QFile &file, qsizetype maxLineBytes, qsizetype chunkBytes)
    : m_file(file)
    , m_maxLineBytes(maxLineBytes)
    , m_chunkBytes(qMax(chunkBytes, maxLineBytes + 2))
{
}

bool LineReader::seek(qint64 offset, qint64 lineNumber)
{
    if (!m_file.seek(offset)) {
        m_error = m_file.errorString();
        return false;
    }
    m_buffer.clear();
    m_position = 0;
    m_carriageFreeEnd = 0;
    m_bufferOffset = offset;
    m_lineNumber = lineNumber;
    m_eof = false;
    return true;
}

// Drops the consumed bytes and appends the next chunk. Returns false when
// nothing more could be read.
bool LineReader::fill()
{
    if (m_eof)
        return false;
    m_bufferOffset += m_position;
    m_buffer.remove(0, m_position);
    m_carriageFreeEnd = qMax<qsizetype>(0, m_carriageFreeEnd - m_position);
    m_position = 0;

    const qsizetype kept = m_buffer.size();
    m_buffer.resize(kept + m_chunkBytes);
    const qint64 got = m_file.read(m_buffer.data() + kept, m_chunkBytes);
    if (got < 0) {
        m_error = m_file.errorString();
        m_buffer.resize(kept);
        m_eof = true;
        return false;
    }
    m_buffer.resize(kept + got);
    if (got == 0)
        m_eof = true;
    return got > 0;
}

// Skips the rest of an over-long line up to and including its terminator.
// Returns whether a terminator was found before the end of the file.
bool LineReader::skipToLineEnd()
{
    for (;;) {
        const char *start = m_buffer.constData() + m_position;
        const qsizetype available = m_buffer.size() - m_position;
        int terminatorBytes = 0;
        qsizetype carriageFree = qMax<qsizetype>(0, m_carriageFreeEnd - m_position);
        const qsizetype length
            = findLineEnd(start, available, m_eof, &terminatorBytes, &carriageFree);
        m_carriageFreeEnd = m_position + carriageFree;
        if (length >= 0) {
            m_position += length + terminatorBytes;
            return true;
        }
        // Keep a last "\r" unread: the next chunk may start with its "\n".
        const bool carriageLast = available > 0 && start[available - 1] == '\r';
        m_position = m_buffer.size() - (carriageLast ? 1 : 0);
        if (!fill()) {
            m_position = m_buffer.size();
            return false;
        }
    }
}

bool LineReader::nextLongLine(FileLine *line)
{
    line->offset = m_bufferOffset + m_position;
    m_longLine = QByteArray(m_buffer.constData() + m_position, m_maxLineBytes);
    m_position += m_maxLineBytes;
    line->terminated = skipToLineEnd();
    line->endOffset = m_bufferOffset + m_position;
    line->lineNumber = ++m_lineNumber;
    line->truncated = true;
    line->text = QByteArrayView(m_longLine);
    return true;
}

bool LineReader::next(FileLine *line)
{
    for (;;) {
        const char *start = m_buffer.constData() + m_position;
        const qsizetype available = m_buffer.size() - m_position;
        int terminatorBytes = 0;
        qsizetype carriageFree = qMax<qsizetype>(0, m_carriageFreeEnd - m_position);
        const qsizetype length
            = findLineEnd(start, available, m_eof, &terminatorBytes, &carriageFree);
        m_carriageFreeEnd = m_position + carriageFree;

        if (length >= 0 || (m_eof && available > 0)) {
            const qsizetype textLength = length >= 0 ? length : available;
            const qsizetype consumed = textLength + (length >= 0 ? terminatorBytes : 0);
            line->offset = m_bufferOffset + m_position;
            line->endOffset = line->offset + consumed;
            line->lineNumber = ++m_lineNumber;
            line->terminated = length >= 0;
            line->truncated = textLength > m_maxLineBytes;
            line->text = QByteArrayView(start, qMin(textLength, m_maxLineBytes));
            m_position += consumed;
            return true;
        }
        if (available > m_maxLineBytes + 1) {
            // An over-long line: keep its head, skip to its end, then return it.
            return nextLongLine(line);
        }
        if (!fill() && m_buffer.size() - m_position == 0)
            return false;
    }
}

} // namespace portcullis
