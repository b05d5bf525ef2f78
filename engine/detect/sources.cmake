target_sources(portcullis_detect PRIVATE
    detect/alert.h detect/alert.cpp
    detect/detector.h
    detect/detectionengine.h detect/detectionengine.cpp detect/detectionconfig.cpp
    detect/detectorsupport.h detect/detectorsupport.cpp detect/expirybound.h
    detect/authattempttracker.h detect/authattempttracker.cpp
    detect/sshbruteforcedetector.h detect/sshbruteforcedetector.cpp
    detect/credentialstuffingdetector.h detect/credentialstuffingdetector.cpp
    detect/successafterfailuresdetector.h detect/successafterfailuresdetector.cpp
    detect/distributedlogindetector.h detect/distributedlogindetector.cpp
    detect/webscandetector.h detect/webscandetector.cpp
    detect/baseline.h detect/baseline.cpp
    detect/behavioursupport.h detect/behavioursupport.cpp
    detect/geolocator.h detect/geolocator.cpp
    detect/accountdetectors.h detect/accountdetectors.cpp
    detect/sessiondetectors.h detect/sessiondetectors.cpp
    detect/automationdetectors.h detect/automationdetectors.cpp
    detect/ratedetectors.h detect/ratedetectors.cpp
    detect/suppression.h detect/suppression.cpp
    detect/suppressionservice.h detect/suppressionservice.cpp
)
# Suppressions are stored in SQLite and their changes audited, so the
# detection library needs the store and the security library (neither of
# which depends on it).
target_link_libraries(portcullis_detect PUBLIC portcullis_store portcullis_security)
