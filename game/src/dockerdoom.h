// SPDX-License-Identifier: GPL-2.0-or-later
//
// Copyright(C) 2026 The dockerdoom authors
//
// This program is free software; you can redistribute it and/or
// modify it under the terms of the GNU General Public License
// as published by the Free Software Foundation; either version 2
// of the License, or (at your option) any later version.
//
// This program is distributed in the hope that it will be useful,
// but WITHOUT ANY WARRANTY; without even the implied warranty of
// MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
// GNU General Public License for more details.
//
// DESCRIPTION:
//	dockerdoom: the hooks chocolate-doom calls. Each is one line in the
//	patched file; everything else lives in game/src.
//

#ifndef DOCKERDOOM_H
#define DOCKERDOOM_H

#include "doomtype.h"
#include "d_event.h"
#include "d_ticcmd.h"
#include "p_mobj.h"

// A spare mobj flag bit marking container monsters, so the hot hooks
// (damage, removal) cost one test for every other thing.
#define DD_MF_CONTAINER 0x20000000

// D_DoomMain, after HU/ST init: parse -dockerfs, start the threads.
void DD_Init(void);

// P_SetupLevel, at its end: forget the old level's monsters, find spots.
void DD_LevelStart(void);

// P_Ticker, once per game tic: apply scans and kill results, spawn.
void DD_Ticker(void);

// G_BuildTiccmd, at its end: the events this game sends every peer
// ride in cmd (dd_net.c).
void DD_BuildTiccmd(ticcmd_t *cmd);

// G_Ticker, once the tic's ticcmds are in players[].cmd: every peer takes
// the events they carry, on this tic (dd_net.c).
void DD_NetTicker(void);

// D_Display, after the 3D view is drawn: names over container monsters.
void DD_Drawer(void);

// ST_Responder, on every key-down: the kill-in-view cheat.
void DD_Responder(event_t *ev);

// P_DamageMobj, first thing: false when the damage must be ignored
// (container monsters take damage only from a player, and deal it only
// to players, so no monster ever turns on one).
boolean DD_DamageAllowed(mobj_t *target, mobj_t *inflictor, mobj_t *source);

// A_Look, first thing: false for a container monster that has heard no
// shot, which then stays idle: containers mind their own business until
// the player fires within earshot (or hits one).
boolean DD_MayLook(mobj_t *actor);

// P_KillMobj, first thing: a container monster died; request its kill.
void DD_MobjKilled(mobj_t *target, mobj_t *source);

// A_BossDeath and A_KeenDie, for the dying monster and for each other one
// they count: true for a container monster (or what is left of one),
// which no map special counts (dd_specials.c).
boolean DD_IgnoredBySpecials(mobj_t *mo);

// WI_Start, once the intermission's data is loaded: logs the level's
// tally of container kills.
void DD_IntermissionStart(void);

// WI_Drawer, at its end: the tally under the level's own statistics.
void DD_IntermissionDrawer(void);

// M_DrawReadThis1/2/Commercial (F1, "Read This!"), after inhelpscreens is
// set: draws our help screen instead of the IWAD's and returns true, or
// returns false (no -dockerfs directory: the IWAD's own is drawn).
boolean DD_HelpDrawer(void);

// P_RemoveMobj, first thing: forget the pointer before it is freed. One
// flag test for things that are no container monster.
void DD_MobjRemoved(mobj_t *mobj);

#endif
