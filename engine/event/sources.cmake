target_sources(portcullis_event PRIVATE
    event/event.h event/event.cpp
    event/logparser.h
)
