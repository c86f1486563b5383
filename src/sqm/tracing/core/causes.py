"""The four root-cause classes of a tracing case (溯源归因), as the seed names them."""

from __future__ import annotations

from enum import StrEnum

from sqm.lib.choices import gettext_noop


class RootCauseClass(StrEnum):
    BUSINESS_SUPPORT = "business_support"  # 业务支撑: systems, network, billing platforms
    BUSINESS_PROCESS = "business_process"  # 业务流程: the designed process or product rule
    EXECUTION_PROCESS = "execution_process"  # 执行流程: the process not carried out as designed
    COLLABORATION_PROCESS = "collaboration_process"  # 协同流程: hand-offs between departments


ROOT_CAUSE_NAMES_ZH: dict[RootCauseClass, str] = {
    RootCauseClass.BUSINESS_SUPPORT: gettext_noop("业务支撑"),
    RootCauseClass.BUSINESS_PROCESS: gettext_noop("业务流程"),
    RootCauseClass.EXECUTION_PROCESS: gettext_noop("执行流程"),
    RootCauseClass.COLLABORATION_PROCESS: gettext_noop("协同流程"),
}
