# Sigma correlation rules and the alerting detector (engine/sigma), plus the
# rules shipped in resources/rules.
target_sources(portcullis_sigma PRIVATE
    sigma/correlation.h sigma/correlation.cpp
    sigma/correlationmetric.h sigma/correlationmetric.cpp
    sigma/correlationyaml.h sigma/correlationyaml.cpp
    sigma/correlationfields.h sigma/correlationfields.cpp
    sigma/correlationengine.h sigma/correlationengine.cpp
    sigma/sigmadetector.h sigma/sigmadetector.cpp
    sigma/ruleloader.h sigma/ruleloader.cpp
)

# The shipped rules go to share/portcullis/rules beside bin/, in the build tree
# and in the installation, where shippedRulesPath() finds them relative to
# the executable. A build copies them again whenever a rule file changes.
set(PORTCULLIS_RULES_SOURCE "${PROJECT_SOURCE_DIR}/resources/rules")
set(PORTCULLIS_RULES_BUILD "${CMAKE_BINARY_DIR}/share/portcullis/rules")
file(GLOB_RECURSE portcullis_rule_files CONFIGURE_DEPENDS
    "${PORTCULLIS_RULES_SOURCE}/*.yml" "${PORTCULLIS_RULES_SOURCE}/*.yaml")
add_custom_command(OUTPUT "${CMAKE_BINARY_DIR}/share/portcullis/rules.stamp"
    COMMAND ${CMAKE_COMMAND} -E rm -rf "${PORTCULLIS_RULES_BUILD}"
    COMMAND ${CMAKE_COMMAND} -E copy_directory "${PORTCULLIS_RULES_SOURCE}" "${PORTCULLIS_RULES_BUILD}"
    COMMAND ${CMAKE_COMMAND} -E touch "${CMAKE_BINARY_DIR}/share/portcullis/rules.stamp"
    DEPENDS ${portcullis_rule_files}
    COMMENT "Copying the shipped Sigma rules to share/portcullis/rules")
add_custom_target(portcullis_rules DEPENDS "${CMAKE_BINARY_DIR}/share/portcullis/rules.stamp")
add_dependencies(portcullis_sigma portcullis_rules)
target_compile_definitions(portcullis_sigma PRIVATE
    PORTCULLIS_RULES_SOURCE_DIR="${PORTCULLIS_RULES_SOURCE}")
include(GNUInstallDirs)
install(DIRECTORY "${PORTCULLIS_RULES_SOURCE}/" DESTINATION "${CMAKE_INSTALL_DATADIR}/portcullis/rules"
    FILES_MATCHING PATTERN "*.yml" PATTERN "*.yaml" PATTERN "*.md")
