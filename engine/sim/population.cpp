// SPDX-License-Identifier: GPL-3.0-or-later
#include "sim/population.h"

#include <array>

namespace portcullis::sim {

namespace {

const std::array<const char *, 24> firstNames { "Avery", "Jordan", "Casey", "Riley", "Morgan",
    "Quinn", "Rowan", "Emerson", "Dakota", "Reese", "Skyler", "Harper", "Jamie", "Kendall", "Logan",
    "Parker", "Marlow", "Sasha", "Tatum", "Blair", "Hayden", "Finley", "Ellis", "Sage" };

// Invented surnames, so that no combination names a real person on purpose.
const std::array<const char *, 20> lastNames { "Quillfeather", "Brambleton", "Ostrander-Vale",
    "Mirefield", "Thistlewood", "Corvane", "Ashmorrow", "Fenwright", "Galloway-Pike", "Hollowmere",
    "Kestrelson", "Larkspur", "Marrowby", "Nettlecombe", "Oakhollow", "Penbrook", "Ravensmoor",
    "Silverbirch", "Tindlewick", "Wrenfield" };

const std::array<const char *, 12> shopWords { "Sharp Fade", "Clipper House", "Razor & Comb",
    "Blue Pole", "Crown Cuts", "Steel Edge", "Lather Lounge", "Gentry Grooming", "Northside Trim",
    "Copper Chair", "Old Town Shave", "Fresh Line" };

const std::array<const char *, 3> emailDomains { "example.com", "example.net", "example.org" };

const std::array<const char *, 6> browsers {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"
};

const std::array<const char *, 4> appAgents { "BookedBarber/4.2.1 (iPhone; iOS 17.1; Scale/3.00)",
    "BookedBarber/4.2.1 (iPad; iOS 16.7; Scale/2.00)", "BookedBarber/4.2.0 (Android 14; Pixel 8)",
    "BookedBarber/4.1.9 (Android 13; SM-A536B)" };

const std::array<const char *, 4> cardBrands { "visa", "mastercard", "amex", "discover" };

} // namespace

QString roleName(Role role)
{
    switch (role) {
    case Role::Customer:
        return QStringLiteral("customer");
    case Role::Barber:
        return QStringLiteral("barber");
    case Role::ShopOwner:
        return QStringLiteral("shop_owner");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return QStringLiteral("customer");
}

const QList<City> &cities()
{
    static const QList<City> table {
        { "New York", "US", 40.71, -74.01 },
        { "Chicago", "US", 41.88, -87.63 },
        { "Houston", "US", 29.76, -95.37 },
        { "Atlanta", "US", 33.75, -84.39 },
        { "Los Angeles", "US", 34.05, -118.24 },
        { "Phoenix", "US", 33.45, -112.07 },
        { "Philadelphia", "US", 39.95, -75.17 },
        { "Denver", "US", 39.74, -104.99 },
        { "Toronto", "CA", 43.65, -79.38 },
        { "London", "GB", 51.51, -0.13 },
        { "Amsterdam", "NL", 52.37, 4.90 },
        { "Lagos", "NG", 6.52, 3.38 },
        { "Sao Paulo", "BR", -23.55, -46.63 },
        { "Singapore", "SG", 1.35, 103.82 },
        { "Hanoi", "VN", 21.03, 105.85 },
        { "Bucharest", "RO", 44.43, 26.10 },
        { "Sydney", "AU", -33.87, 151.21 },
        { "Jakarta", "ID", -6.21, 106.85 },
    };
    return table;
}

QList<int> homeCities()
{
    return { 0, 1, 2, 3, 4, 5, 6, 7 };
}

QList<int> foreignCities()
{
    return { 9, 10, 11, 12, 13, 14, 15, 16, 17 };
}

QString documentationIpv4(SimRandom &random)
{
    // 203.0.113.128/25 is left to attackers (see attackerClient()), so that
    // blocking an attacker never blocks an ordinary customer by accident.
    static const std::array<const char *, 3> prefixes { "192.0.2.", "198.51.100.", "203.0.113." };
    const int prefix = int(random.below(3));
    const qint64 host = prefix == 2 ? random.between(1, 127) : random.between(1, 254);
    return QLatin1String(prefixes[prefix]) + QString::number(host);
}

QString documentationIpv6(SimRandom &random, int city)
{
    return QStringLiteral("2001:db8:%1:%2::%3")
        .arg(city + 1, 0, 16)
        .arg(random.below(0x10000), 0, 16)
        .arg(random.between(1, 0xfffe), 0, 16);
}

QString browserUserAgent(SimRandom &random)
{
    return QLatin1String(random.pick(browsers));
}

QString appUserAgent(SimRandom &random)
{
    return QLatin1String(random.pick(appAgents));
}

Client Population::newClient(SimRandom &random, int city, bool mobileApp) const
{
    Client client;
    client.city = city;
    client.ip = random.chance(0.6) ? documentationIpv6(random, city) : documentationIpv4(random);
    if (random.chance(0.1))
        client.forwardedFor = QStringLiteral("10.%1.%2.%3, ")
                                  .arg(random.below(256))
                                  .arg(random.below(256))
                                  .arg(random.between(1, 254))
            + client.ip;
    else
        client.forwardedFor = client.ip;
    client.userAgent = mobileApp ? appUserAgent(random) : browserUserAgent(random);
    if (mobileApp)
        client.deviceId = QStringLiteral("dev_") + QString::fromLatin1(random.hex(16));
    return client;
}

Client Population::attackerClient(SimRandom &random, int city, const QString &userAgent) const
{
    Client client;
    client.city = city;
    if (random.chance(0.5))
        client.ip = QStringLiteral("203.0.113.") + QString::number(random.between(128, 254));
    else
        client.ip = QStringLiteral("2001:db8:ff%1::%2")
                        .arg(city + 1, 2, 16, QLatin1Char('0'))
                        .arg(random.between(1, 0xfffe), 0, 16);
    client.forwardedFor = client.ip;
    client.userAgent = userAgent;
    return client;
}

Card Population::newCard(SimRandom &random, const QString &country) const
{
    Card card;
    card.fingerprint = QString::fromLatin1(random.alnum(16));
    card.brand = QLatin1String(random.pick(cardBrands));
    card.country = country;
    const double funding = random.unit();
    card.funding = funding < 0.55 ? QStringLiteral("credit")
        : funding < 0.95          ? QStringLiteral("debit")
                                  : QStringLiteral("prepaid");
    card.last4 = QStringLiteral("%1").arg(random.below(10000), 4, 10, QLatin1Char('0'));
    card.expMonth = int(random.between(1, 12));
    card.expYear = int(random.between(2027, 2031));
    return card;
}

Person Population::newPerson(SimRandom &random, Role role, int city)
{
    Person person;
    person.id = QStringLiteral("usr_") + QString::fromLatin1(random.alnum(12));
    const QString first = QLatin1String(random.pick(firstNames));
    const QString last = QLatin1String(random.pick(lastNames));
    person.name = first + QLatin1Char(' ') + last;
    person.email = first.toLower() + QLatin1Char('.') + last.toLower()
        + QString::number(people.size()) + QLatin1Char('@')
        + QLatin1String(random.pick(emailDomains));
    person.phone = QStringLiteral("+1-%1-555-01%2")
                       .arg(random.between(201, 989))
                       .arg(random.below(100), 2, 10, QLatin1Char('0'));
    person.role = role;
    const bool app = role != Role::Admin && random.chance(0.45);
    person.home = newClient(random, city, app);
    if (app)
        person.apiTokenId = QStringLiteral("tok_") + QString::fromLatin1(random.alnum(14));
    person.mfaEnabled = role == Role::Admin || (role != Role::Customer && random.chance(0.6))
        || random.chance(0.15);
    person.typoRate = 0.02 + random.unit() * 0.1;
    return person;
}

Population::Population(SimRandom &random, int shopCount, int customerCount)
{
    const QList<int> home = homeCities();
    for (int s = 0; s < shopCount; ++s) {
        Shop shop;
        shop.id = QStringLiteral("shop_") + QString::fromLatin1(random.alnum(10));
        shop.city = home[s % home.size()];
        shop.name = QLatin1String(random.pick(shopWords)) + QLatin1Char(' ')
            + QLatin1String(cities()[shop.city].name) + QStringLiteral(" #")
            + QString::number(s + 1);
        const int barberCount = int(random.between(2, 5));
        for (int b = 0; b < barberCount; ++b) {
            Person person = newPerson(random, b == 0 ? Role::ShopOwner : Role::Barber, shop.city);
            person.shop = s;
            if (b == 0) {
                person.connectedAccount
                    = QStringLiteral("acct_") + QString::fromLatin1(random.alnum(16));
                person.payoutDestination
                    = QStringLiteral("ba_") + QString::fromLatin1(random.alnum(24));
                shop.owner = int(people.size());
            }
            shop.barbers.append(int(people.size()));
            barbers.append(int(people.size()));
            people.append(person);
        }
        shops.append(shop);
    }

    for (int c = 0; c < customerCount; ++c) {
        Person person = newPerson(random, Role::Customer, home[random.below(home.size())]);
        person.stripeCustomer = QStringLiteral("cus_") + QString::fromLatin1(random.alnum(14));
        const int cardCount = random.chance(0.2) ? 2 : 1;
        for (int k = 0; k < cardCount; ++k)
            person.cards.append(
                newCard(random, random.chance(0.95) ? QStringLiteral("US") : QStringLiteral("CA")));
        customers.append(int(people.size()));
        people.append(person);
    }

    for (int a = 0; a < 3; ++a) {
        admins.append(int(people.size()));
        people.append(newPerson(random, Role::Admin, home[a]));
    }
}

} // namespace portcullis::sim
