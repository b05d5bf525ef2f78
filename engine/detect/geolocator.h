// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "event/event.h"

#include <QString>

#include <memory>

namespace portcullis::detect {

// Where a source address is, from the event's source.geo fields or a
// MaxMind database.
struct GeoInfo {
    bool hasLocation = false;
    double latitude = 0;
    double longitude = 0;
    QString countryIso; // "US"
    QString city;       // English name
    quint32 asn = 0;    // autonomous system number, 0 when unknown
};

// Looks addresses up in a MaxMind DB file (GeoIP2/GeoLite2 City, Country or
// ASN) through libmaxminddb, memory-mapped. Reads location.latitude,
// location.longitude, country.iso_code, city.names.en and
// autonomous_system_number where the database has them.
class GeoLocator {
public:
    GeoLocator();
    ~GeoLocator();
    GeoLocator(const GeoLocator &) = delete;
    GeoLocator &operator=(const GeoLocator &) = delete;

    bool open(const QString &path, QString *errorMessage);
    bool isOpen() const;
    // False when the address is invalid or not in the database.
    bool lookup(const QString &ip, GeoInfo *info) const;

private:
    struct Handle;
    std::unique_ptr<Handle> m_handle;
};

// The geo fields of the event (source.geo.location.lat/lon,
// source.geo.country_iso_code, source.geo.city_name, source.as.number), else
// the locator's result for source.ip when `locator` is open. False when
// neither has a location or a country.
bool resolveGeo(const Event &event, const GeoLocator *locator, GeoInfo *info);

// Great-circle distance in kilometres (haversine, mean Earth radius 6371 km).
double distanceKm(double lat1, double lon1, double lat2, double lon2);

} // namespace portcullis::detect
