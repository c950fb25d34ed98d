/** GROUPS: a group in the conversation list — its name, a stack of member avatars, unread count. */
import { useWho } from "../dm/hooks.js";
import type { GroupInfo } from "../dm/service.js";
import { timeAgo } from "../lib/format.js";
import { linkClick, messagesPath } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { Avatar } from "./common.js";

function MemberAvatar({ address, size }: { address: string; size: number }) {
  const who = useWho(address);
  return <Avatar name={who?.displayName ?? who?.name ?? "?"} seed={address} size={size} agent={who?.agent} />;
}

/** Up to three members' avatars, overlapping (the group's face). */
export function GroupAvatars({ members, size = 22 }: { members: readonly string[]; size?: number }) {
  return (
    <span className="group-avatars" aria-hidden="true">
      {members.slice(0, 3).map((m) => (
        <MemberAvatar key={m} address={m} size={size} />
      ))}
    </span>
  );
}

export function GroupRow(props: {
  id: string;
  /** Known once its invitation was read; until then the node's member list stands in. */
  group: GroupInfo | undefined;
  members: readonly string[];
  unread: number;
  at?: number;
  current: boolean;
}) {
  const { active } = useSession();
  const others = props.members.filter((m) => m !== active.address);
  const name = props.group?.name ?? "Group chat";
  return (
    <li>
      <a
        href={messagesPath(props.id)}
        onClick={linkClick}
        className={`dm-row${props.current ? " active" : ""}`}
        aria-current={props.current ? "page" : undefined}
        data-testid="group-row"
      >
        <GroupAvatars members={others} />
        <span className="dm-row-main">
          <span className="dm-row-name">{name}</span>
          <span className="dm-row-sub">
            {props.group?.removed
              ? "Removed · "
              : props.group?.left
                ? "You left · "
                : `${props.members.length} members · `}
            {props.at ? timeAgo(props.at) : "new"}
          </span>
        </span>
        {props.unread > 0 ? (
          <span className="dm-unread">
            {props.unread > 99 ? "99+" : props.unread}
            <span className="sr-only"> unread</span>
          </span>
        ) : null}
      </a>
    </li>
  );
}
