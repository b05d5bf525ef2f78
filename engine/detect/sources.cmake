target_sources(portcullis_detect PRIVATE
    detect/alert.h detect/alert.cpp
    detect/detector.h
    detect/detectionengine.h detect/detectionengine.cpp detect/detectionconfig.cpp
    detect/detectorsupport.h detect/detectorsupport.cpp
    detect/authattempttracker.h detect/authattempttracker.cpp
    detect/sshbruteforcedetector.h detect/sshbruteforcedetector.cpp
    detect/credentialstuffingdetector.h detect/credentialstuffingdetector.cpp
    detect/successafterfailuresdetector.h detect/successafterfailuresdetector.cpp
    detect/distributedlogindetector.h detect/distributedlogindetector.cpp
    detect/webscandetector.h detect/webscandetector.cpp
)
