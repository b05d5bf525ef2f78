# SPDX-License-Identifier: GPL-3.0-or-later
target_sources(portcullis_widgets PRIVATE
    security/qrcodewidget.h security/qrcodewidget.cpp
    security/totpenrolmentwidget.h security/totpenrolmentwidget.cpp
    security/firstrundialog.h security/firstrundialog.cpp
    security/logindialog.h security/logindialog.cpp
    security/auditview.h security/auditview.cpp
    security/stepupdialog.h security/stepupdialog.cpp
    security/usermanagementdialog.h security/usermanagementdialog.cpp
    security/idlelock.h security/idlelock.cpp
    security/signininteractive.h security/signininteractive.cpp
)
