// SPDX-License-Identifier: GPL-3.0-or-later
// A minimal MaxMind DB writer for tests: an IPv6 tree (IPv4 networks under
// ::/96), 24-bit records, and City/ASN-shaped records in the MaxMind DB 2.0
// layout. It writes only the types it needs; tst_baselines checks that
// libmaxminddb reads the result.
#pragma once

#include <QByteArray>
#include <QString>
#include <QVector>

#include <cstring>
#include <utility>

#include <arpa/inet.h>

namespace portcullis::test {

struct MmdbNetwork {
    QString cidr; // "203.0.113.0/24" or "2001:db8:ff00::/40"
    double latitude = 0;
    double longitude = 0;
    QString countryIso;
    QString city;
    quint32 asn = 0;
};

class MmdbWriter {
public:
    // Returns the file contents, or an empty array for an invalid network.
    static QByteArray build(const QVector<MmdbNetwork> &networks)
    {
        MmdbWriter writer;
        for (const MmdbNetwork &network : networks) {
            const int offset = int(writer.m_data.size());
            writer.writeRecord(network);
            if (!writer.insert(network.cidr, offset))
                return QByteArray();
        }
        return writer.file();
    }

private:
    struct Record {
        int kind = 0; // 0 empty, 1 node, 2 data
        int value = 0;
    };
    struct Node {
        Record children[2];
    };

    MmdbWriter() { m_nodes.append(Node {}); }

    bool insert(const QString &cidr, int dataOffset)
    {
        const qsizetype slash = cidr.indexOf(QLatin1Char('/'));
        const QByteArray address = cidr.left(slash).toLatin1();
        int prefix = cidr.mid(slash + 1).toInt();
        unsigned char bytes[16] = {};
        in_addr v4 {};
        if (inet_pton(AF_INET, address.constData(), &v4) == 1) {
            std::memcpy(bytes + 12, &v4, 4);
            prefix += 96;
        } else if (inet_pton(AF_INET6, address.constData(), bytes) != 1) {
            return false;
        }
        int node = 0;
        for (int bit = 0; bit < prefix; ++bit) {
            const int side = (bytes[bit / 8] >> (7 - bit % 8)) & 1;
            if (bit == prefix - 1) {
                m_nodes[node].children[side] = Record { 2, dataOffset };
                break;
            }
            if (m_nodes[node].children[side].kind != 1) {
                m_nodes.append(Node {});
                m_nodes[node].children[side] = Record { 1, int(m_nodes.size() - 1) };
            }
            node = m_nodes[node].children[side].value;
        }
        return true;
    }

    static void control(QByteArray &out, int type, int size)
    {
        if (type <= 7) {
            out.append(char((type << 5) | size));
        } else {
            out.append(char(size));
            out.append(char(type - 7));
        }
    }
    static void text(QByteArray &out, const QString &value)
    {
        const QByteArray utf8 = value.toUtf8();
        control(out, 2, int(utf8.size())); // every test string is under 29 bytes
        out.append(utf8);
    }
    static void number(QByteArray &out, double value)
    {
        control(out, 3, 8);
        quint64 bits = 0;
        std::memcpy(&bits, &value, 8);
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((bits >> shift) & 0xff));
    }
    static void unsignedValue(QByteArray &out, int type, quint64 value, int bytes)
    {
        control(out, type, bytes);
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
            out.append(char((value >> shift) & 0xff));
    }

    void writeRecord(const MmdbNetwork &network)
    {
        QByteArray &out = m_data;
        control(out, 7, 4);
        text(out, QStringLiteral("location"));
        control(out, 7, 2);
        text(out, QStringLiteral("latitude"));
        number(out, network.latitude);
        text(out, QStringLiteral("longitude"));
        number(out, network.longitude);
        text(out, QStringLiteral("country"));
        control(out, 7, 1);
        text(out, QStringLiteral("iso_code"));
        text(out, network.countryIso);
        text(out, QStringLiteral("city"));
        control(out, 7, 1);
        text(out, QStringLiteral("names"));
        control(out, 7, 1);
        text(out, QStringLiteral("en"));
        text(out, network.city);
        text(out, QStringLiteral("autonomous_system_number"));
        unsignedValue(out, 6, network.asn, 4);
    }

    QByteArray file() const
    {
        QByteArray out;
        const int nodeCount = int(m_nodes.size());
        auto put24 = [&out](quint32 value) {
            out.append(char((value >> 16) & 0xff));
            out.append(char((value >> 8) & 0xff));
            out.append(char(value & 0xff));
        };
        for (const Node &node : m_nodes) {
            for (const Record &record : node.children) {
                if (record.kind == 0)
                    put24(quint32(nodeCount));
                else if (record.kind == 1)
                    put24(quint32(record.value));
                else
                    put24(quint32(nodeCount + 16 + record.value));
            }
        }
        out.append(QByteArray(16, '\0'));
        out.append(m_data);
        out.append("\xAB\xCD\xEFMaxMind.com", 14);
        control(out, 7, 9);
        text(out, QStringLiteral("node_count"));
        unsignedValue(out, 6, quint64(nodeCount), 4);
        text(out, QStringLiteral("record_size"));
        unsignedValue(out, 5, 24, 2);
        text(out, QStringLiteral("ip_version"));
        unsignedValue(out, 5, 6, 2);
        text(out, QStringLiteral("database_type"));
        text(out, QStringLiteral("Portcullis-Test-City"));
        text(out, QStringLiteral("languages"));
        control(out, 11, 1);
        text(out, QStringLiteral("en"));
        text(out, QStringLiteral("binary_format_major_version"));
        unsignedValue(out, 5, 2, 2);
        text(out, QStringLiteral("binary_format_minor_version"));
        unsignedValue(out, 5, 0, 2);
        text(out, QStringLiteral("build_epoch"));
        unsignedValue(out, 9, 1764547200, 8);
        text(out, QStringLiteral("description"));
        control(out, 7, 1);
        text(out, QStringLiteral("en"));
        text(out, QStringLiteral("Portcullis test data"));
        return out;
    }

    QVector<Node> m_nodes;
    QByteArray m_data;
};

} // namespace portcullis::test
