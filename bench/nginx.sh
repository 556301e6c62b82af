# SPDX-License-Identifier: AGPL-3.0-or-later
# shellcheck shell=bash
# Sourced by bench/run and bench/postgres: nginx serving one saved response, the reference.
# nginx_start BODYFILE ADR_ID : serves BODYFILE's bytes at GET /v1/addresses/ADR_ID and answers
# POST /v1/addresses with `return 200 '<the same body>'`. Needs TMP, NGINX and die() from the
# caller; sets NGINX_PID (for the caller's cleanup) and NGINX_URL.
nginx_start() {
	local body=$1 id=$2 NG="$TMP/nginx" INLINE USER_LINE="" PORT
	mkdir -p "$NG/www/v1/addresses" "$NG/temp"
	cp "$body" "$NG/www/v1/addresses/$id"
	chmod -R a+rX "$NG"
	# the same body inline, for the POST row: inside a single-quoted nginx string only backslash
	# and single quote need escaping
	INLINE=$(tr -d '\n' <"$body" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")
	[ "$(id -u)" -eq 0 ] && USER_LINE="user $(id -un) $(id -gn);"
	port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
	NGINX_URL=""
	for _ in $(seq 20); do
		PORT=$((20000 + RANDOM % 30000))
		port_in_use "$PORT" && continue
		cat >"$NG/nginx.conf" <<-EOF
	$USER_LINE
	worker_processes auto;
	daemon off;
	pid $NG/nginx.pid;
	error_log $NG/error.log warn;
	events { worker_connections 4096; }
	http {
	    access_log off;
	    client_body_temp_path $NG/temp/client;
	    proxy_temp_path $NG/temp/proxy;
	    fastcgi_temp_path $NG/temp/fastcgi;
	    uwsgi_temp_path $NG/temp/uwsgi;
	    scgi_temp_path $NG/temp/scgi;
	    types { }
	    default_type application/json;
	    sendfile on;
	    tcp_nopush on;
	    tcp_nodelay on;
	    keepalive_timeout 65;
	    keepalive_requests 1000000;
	    server {
	        listen 127.0.0.1:$PORT;
	        root $NG/www;
	        location = /v1/addresses {
	            return 200 '$INLINE';
	        }
	        location / { }
	    }
	}
	EOF
		"$NGINX" -e "$NG/error.log" -p "$NG" -c "$NG/nginx.conf" -t -q 2>"$NG/test.log" \
			|| { cat "$NG/test.log" >&2; die "generated nginx config is invalid"; }
		"$NGINX" -e "$NG/error.log" -p "$NG" -c "$NG/nginx.conf" >/dev/null 2>>"$NG/error.log" &
		NGINX_PID=$!
		for _ in $(seq 50); do
			curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/addresses/$id" && { NGINX_URL="http://127.0.0.1:$PORT"; break; }
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
		[ -n "$NGINX_URL" ] && break
		kill -TERM "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
		NGINX_PID=""
	done
	[ -n "$NGINX_URL" ] || { tail -n 20 "$NG/error.log" >&2 || true; die "could not start nginx on a free 127.0.0.1 port"; }
}
