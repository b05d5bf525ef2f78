// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sim/simrandom.h"

#include <QList>
#include <QString>

namespace portcullis::sim {

// A city that client addresses are placed in (the backend's GeoIP result).
struct City {
    const char *name;
    const char *countryIso;
    double latitude;
    double longitude;
};

// The origin of a request, as the backend's reverse proxy resolved it.
struct Client {
    QString ip; // client IP as the proxy resolved it
    QString forwardedFor; // the raw X-Forwarded-For header ("" when the client sent none)
    QString userAgent;
    int city = 0; // index into cities()
    QString deviceId; // the app's device id, "" for browsers
};

// A payment card as Stripe reports it.
struct Card {
    QString fingerprint;
    QString brand;
    QString country; // issuing country (the BIN country)
    QString funding; // credit, debit, prepaid
    QString last4;
    int expMonth = 1;
    int expYear = 2028;
};

enum class Role : quint8 { Customer, Barber, ShopOwner, Admin };

QString roleName(Role role);

struct Person {
    QString id; // "usr_..."
    QString name; // display name, fictitious
    QString email; // at example.com / example.net / example.org (RFC 2606)
    QString phone; // +1 555 01xx numbers, reserved for fiction
    Role role = Role::Customer;
    int shop = -1; // the shop a barber or owner works at
    Client home; // usual browser or phone
    bool mfaEnabled = false;
    double typoRate = 0.05; // probability that a login starts with a wrong password
    QString stripeCustomer; // "cus_..." for customers
    QList<Card> cards;
    QString connectedAccount; // "acct_..." for shop owners
    QString payoutDestination; // "ba_..." bank account of the connected account
    QString apiTokenId; // "tok_..." of the mobile app install, "" for web-only users
};

struct Shop {
    QString id; // "shop_..."
    QString name;
    int city = 0;
    int owner = -1; // index into Population::people
    QList<int> barbers;
};

// The documentation address ranges the simulator draws from: RFC 5737 for
// IPv4 and RFC 3849 for IPv6, so no real host ever appears in its traffic.
QString documentationIpv4(SimRandom &random);
QString documentationIpv6(SimRandom &random, int city);

const QList<City> &cities();
// Cities in the United States, where the platform's customers live.
QList<int> homeCities();
// Cities elsewhere, used for travel and for attackers.
QList<int> foreignCities();

QString browserUserAgent(SimRandom &random);
QString appUserAgent(SimRandom &random);

// Shops, barbers, customers and admins with fictitious names, built from a seed.
class Population {
public:
    Population(SimRandom &random, int shopCount, int customerCount);

    QList<Person> people;
    QList<Shop> shops;
    QList<int> customers;
    QList<int> barbers; // barbers and shop owners
    QList<int> admins;

    Client newClient(SimRandom &random, int city, bool mobileApp) const;
    // A client in 203.0.113.128/25 or 2001:db8:ffNN::/48, the ranges only attacks use.
    Client attackerClient(SimRandom &random, int city, const QString &userAgent) const;
    Card newCard(SimRandom &random, const QString &country) const;

private:
    Person newPerson(SimRandom &random, Role role, int city);
};

} // namespace portcullis::sim
