target_sources(portcullis_sigma PRIVATE
    sigma/sigmarule.h sigma/sigmaruleset.cpp sigma/sigmadocuments.cpp
    sigma/sigmacompiled.h
    sigma/sigmafields.h sigma/sigmafields.cpp
    sigma/sigmavalue.h sigma/sigmavalue.cpp
    sigma/sigmadetection.h sigma/sigmadetection.cpp sigma/sigmacondition.cpp
    sigma/sigmamodifiers.h sigma/sigmamodifiers.cpp
    sigma/sigmaprefilter.h sigma/sigmaprefilter.cpp
    sigma/sigmascreen.h sigma/sigmascreen.cpp
)
include(sigma/correlation.cmake)
