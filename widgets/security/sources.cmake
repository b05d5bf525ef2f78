target_sources(portcullis_widgets PRIVATE security/placeholder.cpp)
