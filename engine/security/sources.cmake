target_sources(portcullis_security PRIVATE
    security/identity.h security/identity.cpp
)
