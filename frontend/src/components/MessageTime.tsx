import { fullTime, shortTime } from "../chat/messageTime";

/** When the message was sent: a short local time, the full date on hover. */
export function MessageTime({ time }: { time: string }) {
  return (
    <time className="message-time" data-testid="message-time" dateTime={time} title={fullTime(time)}>
      {shortTime(time)}
    </time>
  );
}
