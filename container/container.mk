# SPDX-License-Identifier: GPL-2.0-or-later
# The game container and its launcher (container/). Included by the top
# Makefile.
#
#   make play    install what is missing, build dockerfs and the image, mount
#                dockerfs, start the game container, print where to connect
#   make stop    remove the game container, unmount dockerfs
#   make image   build the game image only (container/image.sh)

.PHONY: play stop image
# make play PLAYERS=3: a co-op game of 3 (container/dockerdoom play --players 3).
play:
	container/dockerdoom play $(if $(PLAYERS),--players $(PLAYERS))

stop:
	container/dockerdoom stop

image:
	container/dockerdoom image
