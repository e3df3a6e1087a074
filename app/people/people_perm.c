#include "people/people_perm.h"

#include <string.h>

const struct profile_field people_fields[] = {
    {"title", "Job title", VIS_EVERYONE, 1},
    {"department", "Department", VIS_EVERYONE, 1},
    {"team", "Team", VIS_EVERYONE, 1},
    {"manager", "Manager", VIS_EVERYONE, 1},
    {"location", "Location", VIS_EVERYONE, 0},
    {"timezone", "Time zone", VIS_EVERYONE, 0},
    {"start_date", "Start date", VIS_EVERYONE, 0},
    {"email", "Email", VIS_EVERYONE, 0},
    {"chat", "Chat handle", VIS_EVERYONE, 0},
    {"phone", "Phone", VIS_HR, 0},
    {"languages", "Languages spoken", VIS_EVERYONE, 0},
    {"bio", "About me", VIS_EVERYONE, 0},
    {"ask_me_about", "Ask me about", VIS_EVERYONE, 0},
    {"projects", "Current projects", VIS_EVERYONE, 0},
    {"photo", "Photo", VIS_EVERYONE, 0},
    {"open_to_roles", "Open to new roles or projects", VIS_HR, 0},
    {"want_skills", "Skills I would like to use more", VIS_HR, 0},
    {"mentoring", "Mentoring", VIS_HR, 0},
    {NULL, NULL, VIS_EVERYONE, 0},
};

const struct profile_field *people_field(const char *name)
{
    for (const struct profile_field *f = people_fields; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

enum visibility visibility_parse(const char *s)
{
    if (!s)
        return (enum visibility)-1;
    if (strcmp(s, "everyone") == 0)
        return VIS_EVERYONE;
    if (strcmp(s, "hr") == 0)
        return VIS_HR;
    if (strcmp(s, "private") == 0)
        return VIS_PRIVATE;
    return (enum visibility)-1;
}

const char *visibility_name(enum visibility v)
{
    return v == VIS_HR ? "hr" : v == VIS_PRIVATE ? "private" : "everyone";
}

int people_may_see(const struct user *viewer, int64_t subject_id, enum visibility level)
{
    if (viewer && viewer->id == subject_id)
        return 1;
    switch (level) {
    case VIS_EVERYONE:
        return viewer != NULL;
    case VIS_HR:
        return user_is_hr(viewer);
    default:
        return 0;
    }
}

int people_may_edit(const struct user *viewer, int64_t subject_id)
{
    return viewer && (viewer->id == subject_id || user_is_hr(viewer));
}

int people_may_edit_field(const struct user *viewer, int64_t subject_id, enum visibility level)
{
    return people_may_edit(viewer, subject_id) && people_may_see(viewer, subject_id, level);
}
