<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AlertStyle</name>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>True positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>False positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Benign</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisplayText</name>
    <message numerus="yes">
        <source>, +%n more</source>
        <translation>
            <numerusform>, +%n more</numerusform>
            <numerusform>, +%n more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Confirm it is you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password or a current authentication code to continue:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Initial password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Portcullis security operations console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite database file to open (default: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log files to import at start, as File &gt; Import logs does.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Portcullis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the database %1: %2
Start Portcullis with --database PATH to use another file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AlertDetailPane</name>
    <message>
        <source>Select an alert to see why it fired, its evidence lines and its history.
J / K move between alerts; A acknowledges, C closes, R reopens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entities:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert %1 was not found in the database.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, assigned to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (MITRE ATT&amp;CK %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw lines (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen: %1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen: %1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events: %1; the first %2 are kept as evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Events: %n</source>
        <translation>
            <numerusform>Events: %n</numerusform>
            <numerusform>Events: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>  %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AlertFilterBar</name>
    <message>
        <source>Severity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search title, rule, reason, address, user (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows alerts whose title, rule, reason or entity values contain this text. Applies 250 ms after the last keystroke; Esc clears it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AlertTableModel</name>
    <message>
        <source>Closed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source / entities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert %1 no longer exists; refresh the list (F5)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AlertsView</name>
    <message>
        <source>No alerts match the filter. Widen the severity and status buttons or clear the search (Esc in the search field).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No alerts yet. Import logs with File &gt; Import logs (Ctrl+I).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show only alerts containing &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy selected rows</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AssignAlertDialog</name>
    <message numerus="yes">
        <source>Assign %n alert(s)</source>
        <translation>
            <numerusform>Assign %n alert</numerusform>
            <numerusform>Assign %n alerts</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Assignee:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AuditTableModel</name>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Actor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::AuditView</name>
    <message>
        <source>Filter: text in actor, action, target or details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action prefix, e.g. login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) shown.</source>
        <translation>
            <numerusform>%n record shown.</numerusform>
            <numerusform>%n records shown.</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain intact: %1 records, each linked to the previous by SHA-256.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain BROKEN at record %1: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export audit records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 records to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::CloseAlertDialog</name>
    <message numerus="yes">
        <source>Close %n alert(s)</source>
        <translation>
            <numerusform>Close %n alert</numerusform>
            <numerusform>Close %n alerts</numerusform>
        </translation>
    </message>
    <message>
        <source>Disposition:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;True positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a real attack or policy violation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;False positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the detection was wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Benign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>real activity, but expected or harmless</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close alert</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::EvidenceModel</name>
    <message>
        <source>The raw line was longer than the import limit and was cut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File:line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw line</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::FirstRunDialog</name>
    <message>
        <source>Portcullis: first run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the administrator of this console. The password needs 12 or more characters and must not be a common password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::HistoryModel</name>
    <message>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disposition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::IdleLock</name>
    <message>
        <source>Locked after %1 minutes without input. Sign in as %2 to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>when enrolled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the code as well.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::ImportDialog</name>
    <message>
        <source>Import logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log files (auth.log, web access logs, ECS JSON lines):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add files...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detect from the first lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syslog (auth.log, secure, journald)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Web access log (Apache, nginx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON lines with ECS fields</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The summary appears here when the import ends.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose log files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log files (*.log *.txt *.json *.jsonl *log*);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling after the current batch...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File %1 of %2: %3 (%4 lines, %5 events, %6 unparsed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import cancelled; the batches committed so far are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files:            %1 (%2 already imported, %3 resumed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lines read:       %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events parsed:    %1 (%2 stored, %3 already stored)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unparsed lines:   %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Truncated lines:  %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts:           %1 new, %2 updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Unparsed lines (first %n):</source>
        <translation>
            <numerusform>Unparsed lines (first %n):</numerusform>
            <numerusform>Unparsed lines (first %n):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>portcullis::LoginDialog</name>
    <message>
        <source>Sign in to Portcullis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 digits, or a recovery code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication code:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your role needs a second factor. Enrol an authenticator app to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::MainWindow</name>
    <message>
        <source>Portcullis — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not list alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not load the alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some alerts were not changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import logs...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Triage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Portcullis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Portcullis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Portcullis %1
A security operations console.
Licensed under the GNU GPL, version 3 or later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 alerts match the filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> · %n selected</source>
        <translation>
            <numerusform> · %n selected</numerusform>
            <numerusform> · %n selected</numerusform>
        </translation>
    </message>
    <message>
        <source>Import finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+F	search alerts
J / K	next / previous alert
A	acknowledge the selected alerts
Shift+A	assign the selected alerts
C	close with a disposition and a note
R	reopen closed alerts
Ctrl+Shift+M	select every alert matching the filter
F5	refresh
Ctrl+I	import log files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An import is running. Cancel it and quit? Batches already committed are kept, and importing the same files again resumes where it stopped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::TotpEnrolmentWidget</name>
    <message>
        <source>Scan this code with an authenticator app (TOTP, 6 digits, 30 seconds), or type the key below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authenticator key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6-digit code from the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovery codes: each signs you in once if you lose the authenticator. Store them offline now; they are not shown again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::TriageActions</name>
    <message>
        <source>&amp;Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected open alerts as seen and being worked on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A&amp;ssign...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assign the selected open or acknowledged alerts to an analyst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the selected alerts with a disposition and a note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reopen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen the selected closed alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the next alert in the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the previous alert in the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select all &amp;matching alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select every alert that matches the filter, not only the rows loaded so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>... and %n more</source>
        <translation>
            <numerusform>... and %n more</numerusform>
            <numerusform>... and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Acknowledging alerts...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assigning alerts...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing alerts...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopening alerts...</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::TriageDialogs</name>
    <message>
        <source>Optional: what you checked and why (kept in the history)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::UserManagementDialog</name>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset MFA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enrolled, %1 recovery codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enrolled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roles of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>portcullis::DashboardView</name>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln event</numerusform>
            <numerusform>%Ln events</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln new alert(s)</source>
        <translation>
            <numerusform>%Ln new alert</numerusform>
            <numerusform>%Ln new alerts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>portcullis::FraudView</name>
    <message numerus="yes">
        <source>%n carry no score: payouts, which the model does not score, or payments that arrived while no model was loaded.</source>
        <translation>
            <numerusform>%n carries no score: a payout, which the model does not score, or a payment that arrived while no model was loaded.</numerusform>
            <numerusform>%n carry no score: payouts, which the model does not score, or payments that arrived while no model was loaded.</numerusform>
        </translation>
    </message>
</context>
</TS>
