// SPDX-License-Identifier: GPL-3.0-or-later
#include "ingest/linereader.h"

#include <cstring>

namespace portcullis {

LineReader::LineReader(QFile &file, qsizetype maxLineBytes, qsizetype chunkBytes)
    : m_file(file)
    , m_maxLineBytes(maxLineBytes)
    , m_chunkBytes(qMax(chunkBytes, maxLineBytes + 1))
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

bool LineReader::nextLongLine(FileLine *line)
{
    line->offset = m_bufferOffset + m_position;
    m_longLine = QByteArray(m_buffer.constData() + m_position, m_maxLineBytes);
    for (;;) {
        const char *start = m_buffer.constData() + m_position;
        const qsizetype available = m_buffer.size() - m_position;
        const auto *newline = static_cast<const char *>(std::memchr(start, '\n', available));
        if (newline) {
            m_position += newline - start + 1;
            break;
        }
        m_position = m_buffer.size();
        if (!fill())
            break;
    }
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
        const auto *newline = static_cast<const char *>(std::memchr(start, '\n', available));

        if (newline || (m_eof && available > 0)) {
            const qsizetype length = newline ? newline - start : available;
            line->offset = m_bufferOffset + m_position;
            line->endOffset = line->offset + length + (newline ? 1 : 0);
            line->lineNumber = ++m_lineNumber;
            qsizetype textLength = length;
            if (textLength > 0 && start[textLength - 1] == '\r')
                --textLength;
            line->truncated = textLength > m_maxLineBytes;
            line->text = QByteArrayView(start, qMin(textLength, m_maxLineBytes));
            m_position += length + (newline ? 1 : 0);
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
