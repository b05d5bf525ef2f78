target_sources(portcullis_sigma PRIVATE
    sigma/sigmarule.h sigma/sigmaruleset.cpp
)
include(sigma/correlation.cmake)
