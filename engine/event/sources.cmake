target_sources(portcullis_event PRIVATE
    event/event.h event/event.cpp
    event/logparser.h event/logparser.cpp
    event/parsertext.h event/parsertext.cpp
    event/syslogheader.h event/syslogheader.cpp
    event/syslogparser.h event/syslogparser.cpp
    event/sshmessages.h event/sshmessages.cpp event/sshdisconnects.cpp event/pammessages.cpp
    event/webparser.h event/webparser.cpp
    event/jsonparser.h event/jsonparser.cpp
)
