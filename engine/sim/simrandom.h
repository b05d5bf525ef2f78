// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <cmath>
#include <random>

namespace portcullis::sim {

// The generator's random source. It draws from std::mt19937_64, whose output
// the C++ standard fixes, and maps it to ranges by itself because the
// standard distributions differ between library implementations.
// NOTE: exponential() calls std::log, which a different C library may round
// differently, so identical traffic is promised for one build, not across
// platforms.
class SimRandom {
public:
    explicit SimRandom(quint64 seed)
        : m_engine(seed)
    {
    }

    quint64 next() { return m_engine(); }

    // A uniform integer in [0, bound), or 0 when bound <= 0.
    qint64 below(qint64 bound) { return bound <= 0 ? 0 : qint64(m_engine() % quint64(bound)); }

    // A uniform integer in [low, high].
    qint64 between(qint64 low, qint64 high) { return low + below(high - low + 1); }

    // A uniform real in [0, 1).
    double unit() { return double(m_engine() >> 11) * 0x1.0p-53; }

    bool chance(double probability) { return unit() < probability; }

    // An exponentially distributed wait with the given mean.
    double exponential(double mean) { return -mean * std::log(1.0 - unit()); }

    template<typename List> const auto &pick(const List &list)
    {
        return list[below(qint64(std::size(list)))];
    }

    // Lowercase hexadecimal or alphanumeric identifiers for fictitious ids.
    QByteArray hex(int length)
    {
        static const char digits[] = "0123456789abcdef";
        QByteArray out(length, '0');
        for (int i = 0; i < length; ++i)
            out[i] = digits[below(16)];
        return out;
    }

    QByteArray alnum(int length)
    {
        static const char digits[]
            = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        QByteArray out(length, '0');
        for (int i = 0; i < length; ++i)
            out[i] = digits[below(62)];
        return out;
    }

private:
    std::mt19937_64 m_engine;
};

} // namespace portcullis::sim
