# bash completion for constellation(1). Installed to
# /usr/share/bash-completion/completions/constellation; source it by hand otherwise.
# Peer names for `send` come from `constellation peers`, which asks the local daemon over
# its socket (fast, and silent when no daemon runs).

_constellation_peers() {
  constellation "$@" peers 2>/dev/null | cut -f1
}

_constellation() {
  local cur prev words cword
  _init_completion || return

  local verbs="init serve status peers send wait inbox respond cancel card install-service"
  local global_opts="--config --help --version"

  # The verb is the first word that is not an option or the value of --config; keep the
  # --config argument to pass it on to `constellation peers`.
  local verb="" config=() i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      --config) config=(--config "${words[i + 1]}"); ((i++)) ;;
      --config=*) config=("${words[i]}") ;;
      -*) ;;
      *) verb="${words[i]}"; break ;;
    esac
  done

  case "$prev" in
    --config | --file)
      _filedir
      return ;;
    --name | --skills | --description | --port | --bind | --advertise | --peer | --data | \
      --timeout | --task)
      return ;;
    --discovery)
      COMPREPLY=($(compgen -W "tailscale,mdns tailscale mdns none" -- "$cur"))
      return ;;
  esac

  if [[ -z "$verb" ]]; then
    COMPREPLY=($(compgen -W "$verbs $global_opts" -- "$cur"))
    return
  fi

  local opts="--help --config"
  case "$verb" in
    init) opts+=" --name --skills --description --port --bind --advertise --peer --discovery --force" ;;
    serve) opts+=" -v --verbose" ;;
    status) opts+=" --json" ;;
    peers) opts+=" --json --all" ;;
    send) opts+=" --file --data --task" ;;
    wait) opts+=" --timeout" ;;
    inbox) opts+=" --json" ;;
    respond) opts+=" --file --data --failed --ask" ;;
  esac

  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi

  # The first positional of `send` is a peer (unless --task names the task instead).
  if [[ "$verb" == send ]]; then
    local positionals=0 task=0
    for ((i = i + 1; i < cword; i++)); do
      case "${words[i]}" in
        --task) task=1; ((i++)) ;;
        --file | --data | --config) ((i++)) ;;
        -*) ;;
        *) ((positionals++)) ;;
      esac
    done
    if ((positionals == 0 && task == 0)); then
      local IFS=$'\n'
      COMPREPLY=($(compgen -W "$(_constellation_peers "${config[@]}")" -- "$cur"))
    fi
  fi
}

complete -F _constellation constellation
