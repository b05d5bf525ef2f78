target_sources(portcullis_respond PRIVATE respond/respond.cpp)
