target_sources(portcullis_models PRIVATE security/placeholder.cpp)
