# fish completion for constellation(1). Installed to
# /usr/share/fish/vendor_completions.d/constellation.fish. Peer names for `send` come
# from `constellation peers` (asks the local daemon; nothing when none runs).

set -l verbs init serve status peers send wait inbox respond cancel card install-service

function __constellation_peers
    constellation peers 2>/dev/null | cut -f1
end

# True for `send` before its first positional (the peer), unless --task is given.
function __constellation_send_wants_peer
    set -l tokens (commandline -opc)
    set -l seen_verb 0
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $t
            case --config --file --data
                set skip 1
            case --task
                return 1
            case '-*'
            case '*'
                if test $seen_verb -eq 0
                    set seen_verb 1
                else
                    return 1
                end
        end
    end
    return 0
end

complete -c constellation -f
complete -c constellation -l config -r -F -d 'configuration file'
complete -c constellation -s h -l help -d 'show help'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -l version -d 'print the version'

complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a init -d 'write config.toml and print the onboarding prompt'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a serve -d 'run the daemon'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a status -d 'is the daemon up, and what it sees'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a peers -d 'list reachable peers'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a send -d 'send a task to a peer'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a wait -d 'wait for a task to end; print the answer'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a inbox -d 'list inbound tasks awaiting your answer'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a respond -d 'answer an inbound task'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a cancel -d 'cancel a task you sent'
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a card -d "print this peer's agent card"
complete -c constellation -n "not __fish_seen_subcommand_from $verbs" -a install-service -d 'write a systemd user unit'

# init
complete -c constellation -n '__fish_seen_subcommand_from init' -l name -x -d 'peer name on the mesh'
complete -c constellation -n '__fish_seen_subcommand_from init' -l skills -x -d 'comma-separated skills'
complete -c constellation -n '__fish_seen_subcommand_from init' -l description -x -d 'one line about this peer'
complete -c constellation -n '__fish_seen_subcommand_from init' -l port -x -d 'TCP port'
complete -c constellation -n '__fish_seen_subcommand_from init' -l bind -x -d 'address to listen on'
complete -c constellation -n '__fish_seen_subcommand_from init' -l advertise -x -d 'address peers use for us'
complete -c constellation -n '__fish_seen_subcommand_from init' -l peer -x -d 'static peer base URL'
complete -c constellation -n '__fish_seen_subcommand_from init' -l discovery -x -a 'tailscale,mdns tailscale mdns none' -d 'discovery methods'
complete -c constellation -n '__fish_seen_subcommand_from init' -l force -d 'overwrite an existing config'
# serve
complete -c constellation -n '__fish_seen_subcommand_from serve' -s v -l verbose -d 'log debug details'
# peers, inbox
complete -c constellation -n '__fish_seen_subcommand_from peers inbox' -l json -d 'print JSON'
complete -c constellation -n '__fish_seen_subcommand_from peers' -l all -d 'include offline peers'
# send, respond
complete -c constellation -n '__fish_seen_subcommand_from send respond' -l file -r -F -d 'attach a file'
complete -c constellation -n '__fish_seen_subcommand_from send respond' -l data -x -d 'attach a JSON value'
complete -c constellation -n '__fish_seen_subcommand_from send' -l task -x -d 'a further turn in this task'
complete -c constellation -n '__fish_seen_subcommand_from send; and __constellation_send_wants_peer' -a '(__constellation_peers)' -d peer
complete -c constellation -n '__fish_seen_subcommand_from respond' -l failed -d 'mark the task failed'
complete -c constellation -n '__fish_seen_subcommand_from respond' -l ask -d 'ask the sender instead of answering'
# wait
complete -c constellation -n '__fish_seen_subcommand_from wait' -l timeout -x -d 'seconds to wait'
