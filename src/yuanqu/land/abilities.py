from django.utils.translation import gettext_lazy as _

from yuanqu.core.abilities import ability
from yuanqu.org.roles import ADMIN, LEADER, REPORTER, SUPERVISOR

READ_ALL = ability("land.read_all", _("查看全部地块与盘活记录"), ADMIN, SUPERVISOR, LEADER)
# Held for units: the 自然资源/规划 unit's reporters keep the parcels their unit manages; the
# administrator (zone-wide) too, since imports run as the administrator.
EDIT = ability("land.edit", _("登记和修改本单位主管的地块、盘活记录和用地指标"), ADMIN, REPORTER)
# Polygons come from survey files the administrator receives; one person loads them for the zone.
UPLOAD_GEOMETRY = ability("land.upload_geometry", _("上传地块边界（GeoJSON）"), ADMIN)
