# Urb agent installer for client "@URB_CLIENT@" of tenant "@URB_TENANT@".
# It holds a one-time enrolment token, valid until @URB_EXPIRES@: keep it private, run it once.
#
#   powershell -ExecutionPolicy Bypass -File THIS_FILE     (as Administrator)
#
# Installs the agent in %ProgramFiles%\UrbAgent, enrols it and registers a scheduled task that
# runs the agent daemon at startup. The agent needs the .NET 10 runtime (dotnet).
$ErrorActionPreference = 'Stop'
$server = '@URB_SERVER@'
$token = '@URB_TOKEN@'
$version = '@URB_VERSION@'
$prefix = Join-Path $env:ProgramFiles 'UrbAgent'
$state = Join-Path $env:ProgramData 'UrbAgent'
$target = Join-Path $prefix $version

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The agent needs the .NET 10 runtime: install it and run this again.'
}
$payload = [Convert]::FromBase64String('@URB_PAYLOAD_BASE64@')
$archive = Join-Path ([IO.Path]::GetTempPath()) ("urb-agent-" + [Guid]::NewGuid() + ".tar.gz")
[IO.File]::WriteAllBytes($archive, $payload)
New-Item -ItemType Directory -Force -Path $target | Out-Null
tar.exe -xzf $archive -C $target
Remove-Item $archive
Write-Host "urb-installer: agent $version installed in $target"

New-Item -ItemType Directory -Force -Path $state | Out-Null
$agent = Join-Path $target 'Urb.Agent.dll'
if (Test-Path (Join-Path $state 'agent.json')) {
    Write-Host "urb-installer: already enrolled; the token was not used"
} else {
    & dotnet $agent --state-dir $state enroll --server $server --token $token
    if ($LASTEXITCODE -ne 0) { throw "enrolment failed (exit code $LASTEXITCODE)" }
}

$action = New-ScheduledTaskAction -Execute 'dotnet' -Argument "`"$agent`" --state-dir `"$state`" run"
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1)
Register-ScheduledTask -TaskName 'UrbAgent' -Action $action -Trigger $trigger -Settings $settings -User 'SYSTEM' -RunLevel Highest -Force | Out-Null
Start-ScheduledTask -TaskName 'UrbAgent'
Write-Host 'urb-installer: task UrbAgent registered and started'
