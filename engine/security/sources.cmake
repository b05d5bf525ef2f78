# Accounts, password hashing, TOTP, roles and permissions, the audit chain and
# secret storage.
find_package(PkgConfig REQUIRED)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(Qt6Keychain REQUIRED)
find_package(Qt6 REQUIRED COMPONENTS DBus)

target_sources(portcullis_security PRIVATE
    security/identity.h security/identity.cpp
    security/cryptoutil.h security/cryptoutil.cpp
    security/auditlog.h security/auditlog.cpp
    security/passwordhash.h security/passwordhash.cpp
    security/totp.h security/totp.cpp
    security/qrcode.h security/qrcode.cpp
    security/securitypolicy.h security/securitypolicy.cpp security/stepupgrants.h
    security/accounts.h security/accounts.cpp security/mfa.cpp
    security/authenticator.h security/authenticator.cpp
    security/apitokens.h security/apitokens.cpp
    security/auditexport.h security/auditexport.cpp
    security/secretstore.h security/secretstore.cpp security/keychainstore.cpp
    security/security.qrc
)
set_property(TARGET portcullis_security PROPERTY AUTORCC ON)
target_link_libraries(portcullis_security PUBLIC SQLite::SQLite3 PRIVATE PkgConfig::QRENCODE
    qt6keychain Qt6::DBus)
