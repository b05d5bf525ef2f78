target_sources(portcullis_sim PRIVATE
    sim/simlogging.h sim/simlogging.cpp
    sim/simrandom.h
    sim/ecsjson.h sim/ecsjson.cpp
    sim/population.h sim/population.cpp
    sim/generator.h sim/generator.cpp
    sim/activity.h sim/activity.cpp
    sim/ordinary.cpp
    sim/scenarios.cpp
    sim/webscenarios.cpp
    sim/payments.h sim/payments.cpp
    sim/actions.h sim/actions.cpp sim/enforcement.cpp
    sim/eventlog.h sim/eventlog.cpp
    sim/simoptions.h sim/simoptions.cpp
    sim/httpadapter.h sim/httpadapter.cpp
    sim/backendalerts.h sim/backendalerts.cpp
    sim/replay.h sim/replay.cpp
    sim/simserver.h sim/simserver.cpp sim/simroutes.cpp sim/simactions.cpp
)
